import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Runs the BUILT package (the test task depends on this package's build) in real Node processes, as
// users load it: with import (ES module build) and with require() (CommonJS build), each time with
// apache-arrow loaded the same way, against plugins of both module formats; then mixed on purpose.
const packageDir = join(__dirname, '..');
const fixtures = join(__dirname, '__fixtures__');
const run = promisify(execFile);

interface PluginReport {
  readonly values: number[];
  /** Every output table is an instance of the caller's own apache-arrow Table class. */
  readonly outputsAreCallersTables: boolean;
}

interface Report {
  readonly plugins: Record<string, PluginReport>;
  /** Error code, and the chunker's origin finding, when the other build's runPlugin gets the caller's table. */
  readonly mixedCode: string;
  readonly mixedOrigin: string;
}

const pluginFiles = ['esm-doubling-plugin.mjs', 'cjs-doubling-plugin.cjs'];

// The same steps in both module systems; how `arrow`, `sdk` and `otherSdk` are loaded is the difference.
const steps = `
  const { join } = require('node:path');
  const isInstance = Function.prototype[Symbol.hasInstance];
  const fixtures = ${JSON.stringify(fixtures)};
  const input = () => arrow.tableFromArrays({ value: Float64Array.from({ length: 100 }, (_, i) => i) });
  const runOnce = async (api, pluginFile) => {
    const plugin = await api.launchPlugin({ modulePath: join(fixtures, pluginFile) });
    try {
      const result = await api.runPlugin(plugin, {
        inputs: { Input: { '#1': [input()] } },
        outgoingAnchors: [{ name: 'Output' }],
        timeoutMs: 20000,
      });
      return result.outputs.get('Output') ?? [];
    } finally {
      await plugin.close();
    }
  };
  const plugins = {};
  for (const pluginFile of ${JSON.stringify(pluginFiles)}) {
    const outputs = await runOnce(sdk, pluginFile);
    plugins[pluginFile] = {
      values: outputs.flatMap((table) => Array.from(table.getChild('value').toArray())),
      outputsAreCallersTables: outputs.every((table) => isInstance.call(arrow.Table, table)),
    };
  }
  let mixedCode = 'none';
  let mixedOrigin = 'none';
  try {
    await runOnce(otherSdk, ${JSON.stringify(pluginFiles[1])});
  } catch (error) {
    mixedCode = error.code;
    mixedOrigin = error.cause?.foreignArrowOrigin;
  }
  process.stdout.write(JSON.stringify({ plugins, mixedCode, mixedOrigin }));
`;

const esmScript = `
  import * as arrow from 'apache-arrow';
  import * as sdk from '@sdk/transport-grpc';
  import { createRequire } from 'node:module';
  const require = createRequire(import.meta.url);
  const otherSdk = require('@sdk/transport-grpc');
  ${steps}
`;

const commonJsScript = `
  const arrow = require('apache-arrow');
  const sdk = require('@sdk/transport-grpc');
  (async () => {
    const otherSdk = await import('@sdk/transport-grpc');
    ${steps}
  })().catch((error) => { console.error(error); process.exit(1); });
`;

async function runScript(inputType: 'module' | 'commonjs', script: string): Promise<Report> {
  // cwd is the package: `@sdk/transport-grpc` resolves to itself through its exports map.
  const { stdout } = await run(process.execPath, [`--input-type=${inputType}`, '-e', script], {
    cwd: packageDir,
  });
  return JSON.parse(stdout) as Report;
}

beforeAll(() => {
  if (!existsSync(join(packageDir, 'dist', 'esm', 'index.js'))) {
    throw new Error('these tests run the built package: run `pnpm --filter @sdk/transport-grpc build` first');
  }
});

describe.each([
  ['import (ES module build)', 'module', esmScript],
  ['require() (CommonJS build)', 'commonjs', commonJsScript],
] as const)('the built package loaded with %s', (_title, inputType, script) => {
  it('runs apache-arrow tables loaded the same way through launched plugins of both module formats', async () => {
    const report = await runScript(inputType, script);
    const doubled = Array.from({ length: 100 }, (_, index) => index * 2);
    for (const pluginFile of pluginFiles) {
      expect(report.plugins[pluginFile]?.values).toEqual(doubled);
      expect(report.plugins[pluginFile]?.outputsAreCallersTables).toBe(true);
    }
    // The other module system's build refuses the caller's table at once, naming the cause.
    expect(report.mixedCode).toBe('TRANSPORT_CONFIG');
    expect(report.mixedOrigin).toBe('other-module-format');
  });
});
