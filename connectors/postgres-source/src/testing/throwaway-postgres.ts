import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThrowawayClusterError } from '../errors/throwaway-cluster-error';
import { findPostgresBinaries, type PostgresBinaries } from './postgres-binaries';

/** A running throwaway cluster: loopback only, superuser `postgres` with a random password. */
export interface ThrowawayPostgres {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** The superuser, `postgres`. */
  readonly user: string;
  readonly password: string;
  /** Temporary directory holding the data directory, the unix socket and the server log. */
  readonly baseDir: string;
  readonly logFile: string;
  /** Stops the server (immediate shutdown) and removes every file. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startThrowawayPostgres}. */
export interface StartThrowawayPostgresOptions {
  /** Defaults to {@link findPostgresBinaries}(). */
  binaries?: PostgresBinaries;
  /** Maximum wait for initdb and for the server to accept connections, each. Defaults to 60 000 ms. */
  timeoutMs?: number;
}

interface RunAs {
  /** Prefix running a program as the cluster's owner (`runuser -u postgres --` when we are root). */
  readonly prefix: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

function run(command: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = command as [string, ...string[]];
    execFile(program, args, { cwd, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error === null) resolve(`${stdout}${stderr}`);
      else
        reject(new ThrowawayClusterError(`${command.join(' ')} failed: ${stderr || error.message}`.trim()));
    });
  });
}

// initdb and postgres refuse to run as root, so root runs them as the `postgres` system user, which
// Debian's package creates.
async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new ThrowawayClusterError(
      'running as root, but there is no `postgres` system user to own the cluster (`apt-get install postgresql` creates it)',
    );
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(uid), gid: Number(gid) };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates a PostgreSQL cluster in a new temporary directory (`initdb`, password authentication over
 * TCP) and starts it on a free port of 127.0.0.1, with its unix socket in that directory and
 * durability settings off (the data is thrown away). Root runs the programs as the `postgres` user.
 * Throws {@link ThrowawayClusterError} (saying how to install PostgreSQL when it is missing).
 */
export async function startThrowawayPostgres(
  options: StartThrowawayPostgresOptions = {},
): Promise<ThrowawayPostgres> {
  const binaries = options.binaries ?? findPostgresBinaries();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const runAs = await resolveRunAs();
  const baseDir = await mkdtemp(join(tmpdir(), 'sdk-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'server.log');
  const password = randomBytes(12).toString('hex');
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      await run(
        [...runAs.prefix, binaries.pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'],
        baseDir,
        timeoutMs,
      ).catch(() => undefined);
    }
    await rm(baseDir, { recursive: true, force: true });
  };
  try {
    await writeFile(join(baseDir, 'pwfile'), `${password}\n`);
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      await chown(baseDir, runAs.uid, runAs.gid);
      await chown(join(baseDir, 'pwfile'), runAs.uid, runAs.gid);
    }
    await chmod(baseDir, 0o700);
    await run(
      [
        ...runAs.prefix,
        binaries.initdb,
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${join(baseDir, 'pwfile')}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      baseDir,
      timeoutMs,
    );
    // Another process may take the free port between our check and the server's bind: try again.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const serverOptions = [
        '-c listen_addresses=127.0.0.1',
        `-c port=${port}`,
        `-c unix_socket_directories=${baseDir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c shared_buffers=16MB',
        '-c max_connections=40',
      ].join(' ');
      try {
        await run(
          [
            ...runAs.prefix,
            binaries.pgCtl,
            'start',
            '-D',
            dataDir,
            '-l',
            logFile,
            '-w',
            '-t',
            String(Math.ceil(timeoutMs / 1000)),
            '-o',
            serverOptions,
          ],
          baseDir,
          timeoutMs + 5000,
        );
        started = true;
        return { host: '127.0.0.1', port, user: 'postgres', password, baseDir, logFile, stop };
      } catch (error) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        if (attempt >= 3 || !/could not bind|already in use/i.test(log)) {
          throw new ThrowawayClusterError(`the server did not start; its log says:\n${log.trim()}`, {
            cause: error,
          });
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
