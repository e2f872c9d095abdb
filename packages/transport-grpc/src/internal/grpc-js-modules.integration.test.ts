import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// Runs the BUILT package in fresh Node processes: what a process loads is only visible there (Jest keeps
// its own module registry).
const packageDir = join(__dirname, '..', '..');
const run = promisify(execFile);
/** A built file, as a quoted absolute path (require) or file URL (import) for the evaluated code. */
const built = (path: string) => JSON.stringify(join(packageDir, 'dist', path));
const builtUrl = (path: string) => JSON.stringify(pathToFileURL(join(packageDir, 'dist', path)).href);

const loadedCheck = `Object.keys(require.cache).some((path) => /[\\\\/]@grpc[\\\\/]grpc-js[\\\\/]|[\\\\/]nice-grpc[\\\\/]/.test(path))`;

async function evaluate(code: string, inputType: 'commonjs' | 'module'): Promise<string> {
  const { stdout } = await run(process.execPath, [`--input-type=${inputType}`, '-e', code], {
    cwd: packageDir,
    timeout: 60_000,
  });
  return stdout.trim();
}

describe('grpc-js is loaded only for the grpc-js carrier', () => {
  it('is not loaded by require() of the package, and is once a grpc-js carrier client exists', async () => {
    const output = await evaluate(
      `
      require(${built('index.js')});
      const before = ${loadedCheck};
      const { createCarrierClient } = require(${built('internal/carrier-client.js')});
      createCarrierClient('http2', '127.0.0.1:1', undefined).close();
      const afterHttp2 = ${loadedCheck};
      createCarrierClient('grpc-js', '127.0.0.1:1', undefined).close();
      console.log(JSON.stringify([before, afterHttp2, ${loadedCheck}]));
      `,
      'commonjs',
    );
    expect(JSON.parse(output)).toEqual([false, false, true]);
  }, 90_000);

  it('is not loaded by import of the package, and is once a grpc-js carrier server exists', async () => {
    const output = await evaluate(
      `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      await import(${builtUrl('esm/index.js')});
      const before = ${loadedCheck};
      const { createCarrierServer } = await import(${builtUrl('esm/internal/carrier-server.js')});
      createCarrierServer('grpc-js', {}, { tls: undefined, maxMessageBytes: 1024 }).forceShutdown();
      console.log(JSON.stringify([before, ${loadedCheck}]));
      `,
      'module',
    );
    expect(JSON.parse(output)).toEqual([false, true]);
  }, 90_000);
});
