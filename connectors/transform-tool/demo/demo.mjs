// Demo of @connectors/transform-tool: the engine side launches the tool's real plugin process (its bin),
// streams a generated table of 2,000,000 orders through it on two connections over gRPC, with a filter
// and four formula columns from the tool config XML, and checks every output row against a plain
// row-by-row JavaScript computation of the same config.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { parseToolConfig } = require('../dist/index.js');
const { launchPlugin, runPlugin, TransportError } = require('@sdk/transport-grpc');
const { Float64, Int32, makeData, Table, Utf8, Vector, vectorFromArray } = require('apache-arrow');

const connections = 2;
const rowsPerConnection = 1_000_000;
const rowsPerTable = 100_000;
const totalRows = connections * rowsPerConnection;
const tty = process.stdout.isTTY === true;
const statuses = ['paid', 'open', 'refunded', 'paid', 'cancelled'];
const regions = ['emea', 'amer', 'apac'];

const configXml = `<Configuration>
  <Filter>amount &gt; 100 and status == 'paid'</Filter>
  <Formula name="amount_eur" type="double">amount * 0.92</Formula>
  <Formula name="total" type="double">round(amount * qty, 2)</Formula>
  <Formula name="region_code">upper(region)</Formula>
  <Formula name="bulk">qty &gt;= 10</Formula>
</Configuration>`;

/** Deterministic pseudo-random orders; ids are unique across connections; about 3% of amounts are null. */
function generate(connection) {
  let state = 2_024 + connection;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const ids = new Int32Array(rowsPerConnection);
  const amounts = new Float64Array(rowsPerConnection);
  const amountValid = new Uint8Array(rowsPerConnection);
  const status = new Array(rowsPerConnection);
  const region = new Array(rowsPerConnection);
  const qty = new Int32Array(rowsPerConnection);
  for (let row = 0; row < rowsPerConnection; row += 1) {
    ids[row] = connection * rowsPerConnection + row;
    amountValid[row] = random() < 0.03 ? 0 : 1;
    amounts[row] = Math.round(random() * 40_000) / 100;
    status[row] = statuses[Math.floor(random() * statuses.length)];
    region[row] = regions[Math.floor(random() * regions.length)];
    qty[row] = 1 + Math.floor(random() * 15);
  }
  return { ids, amounts, amountValid, status, region, qty };
}

function amountVector(data, start, end) {
  const length = end - start;
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let row = 0; row < length; row += 1) {
    if (data.amountValid[start + row] === 1) bitmap[row >> 3] |= 1 << (row & 7);
    else nullCount += 1;
  }
  return makeData({
    type: new Float64(),
    length,
    nullCount,
    nullBitmap: bitmap,
    data: data.amounts.slice(start, end),
  });
}

const encoder = new TextEncoder();
const encodedStrings = new Map();

/** A Utf8 column built straight from offsets and bytes (vectorFromArray's builder is slow for millions). */
function utf8Vector(values, start, end) {
  const length = end - start;
  const valueOffsets = new Int32Array(length + 1);
  const encoded = values.slice(start, end).map((value) => {
    let bytes = encodedStrings.get(value);
    if (bytes === undefined) {
      bytes = encoder.encode(value);
      encodedStrings.set(value, bytes);
    }
    return bytes;
  });
  const bytes = new Uint8Array(encoded.reduce((sum, value) => sum + value.length, 0));
  let position = 0;
  for (const [row, value] of encoded.entries()) {
    bytes.set(value, position);
    position += value.length;
    valueOffsets[row + 1] = position;
  }
  return new Vector([makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets, data: bytes })]);
}

function tableOf(data, start, end) {
  return new Table({
    order_id: vectorFromArray(data.ids.subarray(start, end)),
    amount: new Vector([amountVector(data, start, end)]),
    status: utf8Vector(data.status, start, end),
    region: utf8Vector(data.region, start, end),
    qty: vectorFromArray(data.qty.subarray(start, end), new Int32()),
  });
}

/** The config, row by row, in plain JavaScript: what the tool's output must equal. */
function reference(data, row) {
  if (data.amountValid[row] === 0) return undefined; // null > 100 is null: the row is dropped
  const amount = data.amounts[row];
  if (!(amount > 100 && data.status[row] === 'paid')) return undefined;
  const product = amount * data.qty[row];
  return {
    amount_eur: amount * 0.92,
    total: Math.round(product * 100) / 100,
    region_code: data.region[row].toUpperCase(),
    bulk: data.qty[row] >= 10,
  };
}

function progress(label) {
  let lastQuarter = -1;
  let lastDraw = 0;
  return {
    update(done) {
      const fraction = Math.min(done / totalRows, 1);
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 50 && done < totalRows) return;
        lastDraw = now;
        const filled = Math.round(fraction * 30);
        process.stdout.write(
          `\r    ${label} [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done.toLocaleString('en-US')} rows`,
        );
      } else if (Math.floor(fraction * 4) > lastQuarter) {
        lastQuarter = Math.floor(fraction * 4);
        console.log(`    ${label}: ${Math.round(fraction * 100)}% (${done.toLocaleString('en-US')} rows)`);
      }
    },
    end() {
      if (tty) process.stdout.write('\n');
    },
  };
}

const config = parseToolConfig(configXml);
console.log('  config (tool config XML, as the engine hands it to the plugin):');
console.log(`    Filter: ${config.filter}`);
for (const formula of config.formulas)
  console.log(`    Formula ${formula.name} (${formula.type ?? 'inferred'}): ${formula.expression}`);

const generateStarted = performance.now();
const data = Array.from({ length: connections }, (_, connection) => generate(connection));
const tables = data.map((orders) =>
  Array.from({ length: rowsPerConnection / rowsPerTable }, (_, part) =>
    tableOf(orders, part * rowsPerTable, (part + 1) * rowsPerTable),
  ),
);
const bytesOf = (table) => table.batches.reduce((sum, batch) => sum + batch.data.byteLength, 0);
const bytesIn = tables.flat().reduce((sum, table) => sum + bytesOf(table), 0);
console.log(
  `  generated ${totalRows.toLocaleString('en-US')} orders as ${tables.flat().length} Arrow tables in ${((performance.now() - generateStarted) / 1000).toFixed(1)} s`,
);

const plugin = await launchPlugin({
  command: process.execPath,
  args: [join(here, '..', 'dist', 'bin', 'transform-tool.js')],
  host: '127.0.0.1',
});
let exitCode = 0;
try {
  let rowsSent = 0;
  const bar = progress('streaming');
  async function* connectionTables(connection) {
    for (const table of tables[connection]) {
      yield table;
      rowsSent += table.numRows;
      bar.update(rowsSent);
    }
  }
  const started = performance.now();
  const result = await runPlugin(plugin, {
    configXml,
    inputs: {
      Input: Object.fromEntries(
        tables.map((_, connection) => [`#${connection + 1}`, connectionTables(connection)]),
      ),
    },
    outgoingAnchors: [{ name: 'Output' }],
    timeoutMs: 120_000,
  });
  const seconds = (performance.now() - started) / 1000;
  bar.end();

  // Verification, after the clock stopped: every output row against the reference, keyed by order_id.
  const outputs = result.outputs.get('Output') ?? [];
  const rowsOut = outputs.reduce((sum, table) => sum + table.numRows, 0);
  const bytesOut = outputs.reduce((sum, table) => sum + bytesOf(table), 0);
  const seen = new Uint8Array(totalRows);
  const sample = [];
  let mismatches = 0;
  for (const table of outputs) {
    const ids = table.getChild('order_id').toArray();
    const columns = ['amount_eur', 'total', 'region_code', 'bulk'].map((name) => [
      name,
      table.getChild(name),
    ]);
    for (let row = 0; row < table.numRows; row += 1) {
      const id = ids[row];
      const expected = reference(data[Math.floor(id / rowsPerConnection)], id % rowsPerConnection);
      const actual = Object.fromEntries(columns.map(([name, vector]) => [name, vector.get(row)]));
      if (
        expected === undefined ||
        seen[id] === 1 ||
        Object.keys(expected).some((key) => expected[key] !== actual[key])
      ) {
        mismatches += 1;
      }
      seen[id] = 1;
      if (sample.length < 5) {
        sample.push({
          order_id: id,
          amount: table.getChild('amount').get(row),
          status: table.getChild('status').get(row),
          ...actual,
        });
      }
    }
  }
  let expectedRows = 0;
  for (const [connection, orders] of data.entries()) {
    for (let row = 0; row < rowsPerConnection; row += 1) {
      if (reference(orders, row) !== undefined) {
        expectedRows += 1;
        if (seen[connection * rowsPerConnection + row] !== 1) mismatches += 1;
      }
    }
  }
  const mb = (bytes) => bytes / 1e6;
  console.log(
    `  rows in:  ${totalRows.toLocaleString('en-US')} on ${connections} connections (${mb(bytesIn).toFixed(0)} MB of Arrow data)`,
  );
  console.log(
    `  rows out: ${rowsOut.toLocaleString('en-US')} (${mb(bytesOut).toFixed(0)} MB), output schema declared: ${result.outgoingSchemas
      .get('Output')
      ?.fields.map((field) => `${field.name}:${field.type}`)
      .join(', ')}`,
  );
  console.log(
    `  time: ${seconds.toFixed(2)} s, throughput ${Math.round(totalRows / seconds).toLocaleString('en-US')} rows/s in, ${(mb(bytesIn + bytesOut) / seconds).toFixed(1)} MB/s through the plugin (in + out)`,
  );
  console.log('  sample of output rows:');
  for (const row of sample) console.log(`    ${JSON.stringify(row)}`);
  if (mismatches === 0 && rowsOut === expectedRows) {
    console.log(
      `  verified: all ${rowsOut.toLocaleString('en-US')} output rows match the row-by-row reference, none missing or repeated`,
    );
  } else {
    console.error(
      `  MISMATCH: ${mismatches} rows differ from the reference (${rowsOut} out, ${expectedRows} expected)`,
    );
    exitCode = 1;
  }
} catch (error) {
  console.error(TransportError.isInstance(error) ? `${error.code}: ${error.message}` : error);
  exitCode = 1;
} finally {
  await plugin.close();
}
process.exit(exitCode);
