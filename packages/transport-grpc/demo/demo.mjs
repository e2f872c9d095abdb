// Demo: the engine side launches a plugin process (as the AMP engine would: it prints its port, we
// hand it a random auth token), streams a table through it on two connections over gRPC, and checks
// what comes back.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { launchPlugin, runPlugin, TransportError } = require('../dist/index.js');
const { tableFromArrays } = require('apache-arrow');

const here = dirname(fileURLToPath(import.meta.url));
const rowsPerBatch = 250_000;
const batchesPerConnection = 4;

function orders(seed) {
  const id = new Int32Array(rowsPerBatch);
  const price = new Float64Array(rowsPerBatch);
  const quantity = new Float64Array(rowsPerBatch);
  for (let index = 0; index < rowsPerBatch; index += 1) {
    id[index] = seed * rowsPerBatch + index;
    price[index] = 1 + ((index * 7919 + seed) % 1000) / 10;
    quantity[index] = 1 + (index % 12);
  }
  return tableFromArrays({ id, price, quantity });
}

const launchStarted = performance.now();
const plugin = await launchPlugin({ modulePath: join(here, 'sample-plugin.cjs') });
const launchMs = performance.now() - launchStarted;
try {
  const connectionA = Array.from({ length: batchesPerConnection }, (_, index) => orders(index));
  const connectionB = Array.from({ length: batchesPerConnection }, (_, index) => orders(100 + index));
  const inputBytes = [...connectionA, ...connectionB]
    .flatMap((table) => table.batches)
    .reduce((sum, batch) => sum + batch.data.byteLength, 0);
  const started = performance.now();
  const result = await runPlugin(plugin, {
    inputs: { Orders: { '#1': connectionA, '#2': connectionB } },
    outgoingAnchors: [{ name: 'Output' }],
    engineConstants: { ToolId: '20' },
  });
  const elapsedMs = performance.now() - started;
  const outputs = result.outputs.get('Output') ?? [];
  const rows = outputs.reduce((sum, table) => sum + table.numRows, 0);
  // Check every total against the inputs: the plugin really computed them.
  let wrong = 0;
  let grandTotal = 0;
  for (const table of outputs) {
    const price = table.getChild('price').toArray();
    const quantity = table.getChild('quantity').toArray();
    const total = table.getChild('total').toArray();
    for (let index = 0; index < table.numRows; index += 1) {
      if (total[index] !== price[index] * quantity[index]) wrong += 1;
      grandTotal += total[index];
    }
  }
  const expectedRows = 2 * batchesPerConnection * rowsPerBatch;
  console.log(
    `launched plugin pid ${plugin.pid} on port ${plugin.port} in ${launchMs.toFixed(0)} ms (auth token required)`,
  );
  console.log(
    `streamed ${expectedRows.toLocaleString('en')} rows (${(inputBytes / 1e6).toFixed(1)} MB) on 2 interleaved connections ` +
      `through it in ${elapsedMs.toFixed(0)} ms (${Math.round(expectedRows / (elapsedMs / 1000)).toLocaleString('en')} rows/s)`,
  );
  console.log(
    `got back ${rows.toLocaleString('en')} rows in ${outputs.length} tables; ${wrong} wrong totals; grand total ${grandTotal.toFixed(2)}`,
  );
  for (const message of result.messages) console.log(`  plugin ${message.kind}: ${message.message}`);
  console.log(`anchors closed by the plugin: ${result.closedAnchors.join(', ')}`);
  if (rows !== expectedRows || wrong !== 0) {
    console.error('demo failed: output does not match input');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(TransportError.isInstance(error) ? `demo failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await plugin.close();
  console.log(`plugin exited with ${await plugin.exited}`);
}
