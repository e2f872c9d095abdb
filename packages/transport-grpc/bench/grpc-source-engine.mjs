// One run of our side of the peer comparison, in its own process like the peer's run:
//   node grpc-source-engine.mjs <rows> <batchRows>   -> {"seconds","rows","ipcBytesPerRow"}
// Launches the source plugin (grpc-source-plugin.cjs) as its own process, then, timed: one run that
// initialises it and receives its output tables, checking every row (row-checker.mjs). Exits non-zero
// if a row is missing or wrong.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRowChecker } from './row-checker.mjs';

const require = createRequire(import.meta.url);
const { launchPlugin, runPlugin } = require('../dist/index.js');
const { tableToIPC } = require('apache-arrow');

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.argv[2]);
const batchRows = Number(process.argv[3]);
if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(batchRows) || batchRows < 1) {
  throw new Error('usage: grpc-source-engine.mjs <rows> <batchRows>');
}
const plugin = await launchPlugin({ modulePath: join(here, 'grpc-source-plugin.cjs') });

try {
  const checker = createRowChecker(rows);
  let firstTable;
  const started = performance.now();
  await runPlugin(plugin, {
    configXml: `<Configuration><Rows>${rows}</Rows><BatchRows>${batchRows}</BatchRows></Configuration>`,
    outgoingAnchors: [{ name: 'Output' }],
    onOutput: (output) => {
      if (output.anchorName !== 'Output') throw new Error(`output on anchor ${output.anchorName}`);
      checker.check(output.table);
      firstTable ??= output.table;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const received = checker.finish();
  // Size of the self-contained IPC stream one write puts on the wire (schema + batch + end marker),
  // re-encoded from what arrived, outside the timed part.
  const ipcBytesPerRow = tableToIPC(firstTable).byteLength / firstTable.numRows;
  process.stdout.write(`${JSON.stringify({ seconds, rows: received, ipcBytesPerRow })}\n`);
} finally {
  await plugin.close();
}
