import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Runs the BUILT package (the test task depends on this package's build) in real Node processes, as
// users load it: with import (ES module build) and with require() (CommonJS build), each time with
// apache-arrow loaded the same way, then the two mixed on purpose.
const packageDir = join(__dirname, '..');
const run = promisify(execFile);

interface Report {
  readonly chunks: number;
  readonly values: number[];
  /** The decoded table is an instance of the caller's own apache-arrow Table class. */
  readonly decodedIsCallersTable: boolean;
  /** Error code and origin when the other module system's build is handed the caller's table. */
  readonly mixedCode: string;
  readonly mixedOrigin: string;
  /** The same for rowsToRecordBatch given the caller's schema. */
  readonly rowsMixedCode: string;
  readonly rowsMixedOrigin: string;
}

// The same steps in both module systems; `load` is the only difference.
const steps = `
  const isInstance = Function.prototype[Symbol.hasInstance];
  const table = arrow.tableFromArrays({ n: Float64Array.from({ length: 1000 }, (_, i) => i) });
  const chunks = [...chunker.encodeChunks(table, { maxChunkBytes: 1024 })];
  const decoded = [];
  for await (const part of chunker.assembleChunks(chunks)) decoded.push(part);
  let mixedCode = 'none';
  let mixedOrigin = 'none';
  try {
    [...otherChunker.encodeChunks(table)];
  } catch (error) {
    mixedCode = error.code;
    mixedOrigin = error.foreignArrowOrigin;
  }
  let rowsMixedCode = 'none';
  let rowsMixedOrigin = 'none';
  try {
    otherChunker.rowsToRecordBatch([{ n: 1 }], { schema: table.schema });
  } catch (error) {
    rowsMixedCode = error.code;
    rowsMixedOrigin = error.foreignArrowOrigin;
  }
  process.stdout.write(JSON.stringify({
    chunks: chunks.length,
    values: decoded.flatMap((part) => Array.from(part.getChild('n').toArray())),
    decodedIsCallersTable: decoded.every((part) => isInstance.call(arrow.Table, part)),
    mixedCode,
    mixedOrigin,
    rowsMixedCode,
    rowsMixedOrigin,
  }));
`;

const esmScript = `
  import * as arrow from 'apache-arrow';
  import * as chunker from '@sdk/arrow-chunker';
  import { createRequire } from 'node:module';
  const otherChunker = createRequire(import.meta.url)('@sdk/arrow-chunker');
  ${steps}
`;

const commonJsScript = `
  const arrow = require('apache-arrow');
  const chunker = require('@sdk/arrow-chunker');
  (async () => {
    const otherChunker = await import('@sdk/arrow-chunker');
    ${steps}
  })().catch((error) => { console.error(error); process.exit(1); });
`;

async function runScript(inputType: 'module' | 'commonjs', script: string): Promise<Report> {
  // cwd is the package: `@sdk/arrow-chunker` resolves to itself through its exports map.
  const { stdout } = await run(process.execPath, [`--input-type=${inputType}`, '-e', script], {
    cwd: packageDir,
  });
  return JSON.parse(stdout) as Report;
}

beforeAll(() => {
  if (!existsSync(join(packageDir, 'dist', 'esm', 'index.js'))) {
    throw new Error('these tests run the built package: run `pnpm --filter @sdk/arrow-chunker build` first');
  }
});

describe.each([
  ['import (ES module build)', 'module', esmScript],
  ['require() (CommonJS build)', 'commonjs', commonJsScript],
] as const)('the built package loaded with %s', (_title, inputType, script) => {
  it('encodes and decodes tables of apache-arrow loaded the same way, and names a mixed-up build (tables and row schemas)', async () => {
    const report = await runScript(inputType, script);
    expect(report.chunks).toBeGreaterThan(1);
    expect(report.values).toEqual(Array.from({ length: 1000 }, (_, index) => index));
    expect(report.decodedIsCallersTable).toBe(true);
    expect(report.mixedCode).toBe('CHUNKER_INVALID_SOURCE');
    expect(report.mixedOrigin).toBe('other-module-format');
    expect(report.rowsMixedCode).toBe('CHUNKER_INVALID_SOURCE');
    expect(report.rowsMixedOrigin).toBe('other-module-format');
  });
});
