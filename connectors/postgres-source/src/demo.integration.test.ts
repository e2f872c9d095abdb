import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

// The demo step (demo/demo.mjs) on a machine without a PostgreSQL server: SDK_DEMO_POSTGRES=embedded forces
// the embedded PGlite that `auto` falls back to there (this machine may have the server binaries, so
// `auto` alone would not reach it). The connector's other tests keep the real server.
const packageRoot = join(__dirname, '..');

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(packageRoot, 'demo', 'demo.mjs')], { cwd: packageRoot, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the demo step', () => {
  beforeAll(() => {
    // The demo runs the built connector, as `pnpm demo` does after its build step; tests depend only on
    // the dependencies' builds, so build this one (incremental: quick when dist is current).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
      cwd: packageRoot,
    });
  }, 300_000);

  it('runs on an embedded PostgreSQL when told there is no server, and says so', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SDK_DEMO_POSTGRES: 'embedded' };
    for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
    const result = await runDemo(env);
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(result.stdout).toMatch(
      /^PostgreSQL: embedded, PGlite \(PostgreSQL \d+[.\d]* in WebAssembly\) on 127\.0\.0\.1:\d+/m,
    );
    expect(result.stdout).toContain('killed after');
    expect(result.stdout).toContain('distinct records     130,000 of 130,000 (none lost)');
    expect(result.stdout).toMatch(/written twice\s+0 /);
  }, 300_000);

  it('refuses an unknown SDK_DEMO_POSTGRES before starting anything', async () => {
    const result = await runDemo({ ...process.env, SDK_DEMO_POSTGRES: 'bogus' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SDK_DEMO_POSTGRES=bogus: use one of auto, cluster, env, embedded');
    expect(result.stdout).toBe('');
  });
});
