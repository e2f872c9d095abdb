import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A verdaccio registry on loopback that stores only what the test publishes to it. */
export interface LocalRegistry {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Auth token of the user the registry created for the test. */
  readonly token: string;
  /** `.npmrc` lines that send the `@sdk` scope, and only it, to this registry. */
  readonly npmrc: string;
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  // verdaccio takes a port, not 0, so borrow one the kernel hands out and give it straight back.
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * Starts verdaccio with storage under `workDir`, no uplinks (nothing is proxied: other packages keep
 * coming from the user's normal registry through npm's own configuration), and one user for publishing.
 */
export async function startLocalRegistry(workDir: string): Promise<LocalRegistry> {
  mkdirSync(join(workDir, 'storage'), { recursive: true });
  const port = await freeLoopbackPort();
  const configPath = join(workDir, 'config.yaml');
  writeFileSync(
    configPath,
    [
      `storage: ${join(workDir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(workDir, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@sdk/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const binary = require.resolve('verdaccio/bin/verdaccio');
  const child = spawn(process.execPath, [binary, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await waitUntilServing(url, child, 30_000);
    const response = await fetch(`${url}-/user/org.couchdb.user:release-e2e`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release-e2e', password: 'release-e2e-password' }),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || !body.token)
      throw new Error(`could not create a registry user: ${JSON.stringify(body)}`);
    const hostPath = url.replace(/^http:/, '');
    return {
      url,
      token: body.token,
      npmrc: `@sdk:registry=${url}\n${hostPath}:_authToken=${body.token}\n`,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`local registry failed to start: ${(error as Error).message}\n${output}`);
  }
}
