// Demo: build a large table from plain rows, chunk it as a transport would, reassemble it on the
// "receiving" side (each chunk in its own buffer, as off a network), and verify nothing changed.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  RecordBatcher,
  encodeChunks,
  ChunkAssembler,
  tableToRows,
  DEFAULT_MAX_CHUNK_BYTES,
} = require('../dist/index.js');

const ROWS = 200_000;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const makeRow = (index) => ({
  id: BigInt(index),
  name: `${WORDS[index % WORDS.length]}-${index}`,
  price: index % 5 === 0 ? null : Math.round(index * 1.37) / 100,
  in_stock: index % 3 !== 0,
  updated_at: new Date(Date.UTC(2024, 0, 1) + index * 60_000),
  tags: index % 4 === 0 ? [] : [WORDS[index % 5], `t${index % 7}`],
  dimensions: index % 10 === 0 ? null : { width: index % 100, height: (index * 3) % 100 },
});

async function main() {
  const started = performance.now();

  // 1. Rows -> Arrow record batches, with schema inference and backpressure.
  const batcher = new RecordBatcher({ maxRows: 50_000, lingerMs: 0 });
  const batches = [];
  const consumer = (async () => {
    for await (const batch of batcher) batches.push(batch);
  })();
  for (let index = 0; index < ROWS; index += 1) await batcher.write(makeRow(index));
  await batcher.close();
  await consumer;
  const rowsDone = performance.now();

  // 2. Batches -> 1 MiB IPC chunks (views of the encoder output, no copy per chunk).
  const chunks = [...encodeChunks(batches)];
  const encodedBytes = chunks.reduce((sum, chunk) => sum + chunk.data.byteLength, 0);
  const encodeDone = performance.now();

  // 3. Receive each chunk in its own buffer and reassemble (one copy per stream).
  const received = chunks.map((chunk) => ({ data: chunk.data.slice(), endOfChunk: chunk.endOfChunk }));
  const receiveStart = performance.now();
  const assembler = new ChunkAssembler({ channel: 'demo' });
  const tables = [];
  for (const chunk of received) {
    const table = assembler.push(chunk);
    if (table !== undefined) tables.push(table);
  }
  assembler.close();
  const decodeDone = performance.now();

  // 4. Verify: every row comes back exactly as written.
  const decodedRows = tables.flatMap((table) => tableToRows(table));
  if (decodedRows.length !== ROWS) throw new Error(`expected ${ROWS} rows, got ${decodedRows.length}`);
  for (let index = 0; index < ROWS; index += 1) {
    const expected = makeRow(index);
    const actual = decodedRows[index];
    const same =
      actual.id === expected.id &&
      actual.name === expected.name &&
      actual.price === expected.price &&
      actual.in_stock === expected.in_stock &&
      actual.updated_at.getTime() === expected.updated_at.getTime() &&
      JSON.stringify(actual.tags) === JSON.stringify(expected.tags) &&
      JSON.stringify(actual.dimensions) === JSON.stringify(expected.dimensions);
    if (!same) throw new Error(`row ${index} differs after the round trip`);
  }
  const verifyDone = performance.now();

  const megabytes = encodedBytes / 1e6;
  const seconds = (ms) => ms / 1000;
  console.log(
    `Arrow chunking demo: ${ROWS.toLocaleString('en')} rows, 7 columns (int64, utf8, float64, bool, timestamp, list, struct)`,
  );
  console.log(
    `  rows -> ${batches.length} record batches (schema inferred): ${(rowsDone - started).toFixed(0)} ms, ${(ROWS / seconds(rowsDone - started)).toFixed(0)} rows/s`,
  );
  console.log(
    `  encoded ${megabytes.toFixed(1)} MB into ${chunks.length} chunks of <= ${DEFAULT_MAX_CHUNK_BYTES} bytes in ${tables.length} stream(s): ${(encodeDone - rowsDone).toFixed(0)} ms, ${(megabytes / seconds(encodeDone - rowsDone)).toFixed(0)} MB/s`,
  );
  console.log(
    `  reassembled + decoded ${tables.length} table(s): ${(decodeDone - receiveStart).toFixed(0)} ms, ${(megabytes / seconds(decodeDone - receiveStart)).toFixed(0)} MB/s`,
  );
  console.log(
    `  verified all ${decodedRows.length.toLocaleString('en')} rows equal after the round trip: ${(verifyDone - decodeDone).toFixed(0)} ms`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
