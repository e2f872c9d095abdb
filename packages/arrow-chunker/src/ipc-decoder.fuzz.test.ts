import { Table } from 'apache-arrow';
import fc from 'fast-check';
import { scenarioArbitrary } from './__fixtures__/arbitrary-batches.js';
import {
  applyMutation,
  deliver,
  deliveryArbitrary,
  fuzzParameters,
  mutationArbitrary,
} from './__fixtures__/hostile-streams.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { chunkIpcStream } from './chunk-ipc-stream.js';
import { encodeChunks } from './encode-chunks.js';
import { ChunkerError } from './errors/chunker-error.js';
import { findDecodedBatchProblem } from './internal/validate-decoded-data.js';
import { type ArrowRow, tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

// Fuzzers of the IPC walker and decoder (ChunkAssembler) and of the byte chunker (chunkIpcStream).
// Invariant for any input: a correct value or a ChunkerError with a code; never another throw, a hang
// or an allocation sized by a declared rather than a received length. CI runs a fixed seed and a
// bounded number of cases; `pnpm --filter @sdk/arrow-chunker fuzz` runs many more with a new seed
// (FUZZ_RUNS, FUZZ_SEED). fast-check prints the seed and path of a failure to replay it.

const codes = new Set([
  'CHUNKER_INVALID_IPC',
  'CHUNKER_TRUNCATED_STREAM',
  'CHUNKER_STREAM_TOO_LARGE',
  'CHUNKER_UNSUPPORTED_TYPE',
]);

/** Rethrows anything that is not one of this package's typed errors with a known code. */
function expectTypedError(error: unknown): void {
  if (!ChunkerError.isInstance(error) || !codes.has(error.code)) throw error;
}

/** Bytes of ArrayBuffer memory the process holds (grows with every buffer allocated and not yet collected). */
function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

/** Rows of a decoded table, checked; undefined when its values cannot be materialised (typed error). */
function checkedRows(table: Table, inputBytes: number): ArrowRow[] | undefined {
  for (const batch of table.batches) expect(findDecodedBatchProblem(batch, true)).toBeUndefined();
  expect(table.numRows).toBe(table.batches.reduce((rows, batch) => rows + batch.numRows, 0));
  // Null columns carry no bytes, so a few bytes can declare billions of null rows (see the README):
  // rows are materialised only when the bytes received could hold them.
  if (table.numRows > 64 * inputBytes + 1024) return undefined;
  try {
    return tableToRows(table);
  } catch (error) {
    expectTypedError(error);
    return undefined;
  }
}

/** Decodes `pieces` as one chunked stream: the tables, or undefined after a typed error. */
function decodeAll(pieces: Uint8Array[], inputBytes: number): ArrowRow[] | undefined | 'error' {
  const assembler = new ChunkAssembler({ channel: 'fuzz' });
  try {
    let table: Table | undefined;
    for (const [index, data] of pieces.entries()) {
      table = assembler.push({ data, endOfChunk: index === pieces.length - 1 }) ?? table;
    }
    if (pieces.length === 0) return 'error';
    return checkedRows(table!, inputBytes);
  } catch (error) {
    expectTypedError(error);
    return 'error';
  }
}

const baseStream = scenarioArbitrary.map(({ schema, batchesOfRows }) => {
  const batches = batchesOfRows.map((rows) => rowsToRecordBatch(rows, { schema }));
  const stream = Uint8Array.from([...encodeChunks(batches)].flatMap((chunk) => [...chunk.data]));
  return { stream, rows: batchesOfRows.flat() };
});

describe('fuzz: IPC walker and decoder (ChunkAssembler)', () => {
  it('decodes hostile streams into a checked Table or a typed error, within memory of the bytes received', () => {
    fc.assert(
      fc.property(
        baseStream,
        mutationArbitrary,
        deliveryArbitrary,
        ({ stream, rows }, mutation, delivery) => {
          const input = applyMutation(stream, mutation);
          const before = arrayBufferBytes();
          const decoded = decodeAll(deliver(input, delivery), input.byteLength);
          // Decoded tables hold views or single copies of the body; anything sized by a declared length
          // (up to 2^53 here) would show far above this.
          expect(arrayBufferBytes() - before).toBeLessThan(32 * input.byteLength + 8 * 1024 * 1024);
          if (mutation.kind === 'none') expect(decoded).toEqual(rows);
        },
      ),
      fuzzParameters(250),
    );
  });
});

describe('fuzz: byte chunker (chunkIpcStream)', () => {
  it('chunks hostile bytes into streams that decode like the input, or fails with a typed error', () => {
    fc.assert(
      fc.property(
        baseStream,
        mutationArbitrary,
        deliveryArbitrary,
        fc.integer({ min: 1, max: 2048 }),
        fc.oneof(fc.constant(undefined), fc.integer({ min: 64, max: 20_000 })),
        ({ stream }, mutation, delivery, maxChunkBytes, maxStreamBytes) => {
          const input = applyMutation(stream, mutation);
          const before = arrayBufferBytes();
          let tables: Table[];
          try {
            const assembler = new ChunkAssembler({ channel: 'fuzz', maxStreamBytes });
            tables = [];
            for (const chunk of chunkIpcStream(deliver(input, delivery), { maxChunkBytes, maxStreamBytes })) {
              expect(chunk.data.byteLength).toBeGreaterThanOrEqual(1);
              expect(chunk.data.byteLength).toBeLessThanOrEqual(maxChunkBytes);
              const table = assembler.push(chunk);
              if (table !== undefined) tables.push(table);
            }
            assembler.close();
          } catch (error) {
            expectTypedError(error);
            return;
          }
          expect(arrayBufferBytes() - before).toBeLessThan(32 * input.byteLength + 8 * 1024 * 1024);
          // What the chunker passed and the receiver accepted decodes as the input does by itself
          // (split into several streams or not).
          if (tables.length === 0 || mutation.kind === 'concat') return;
          const rows = checkedRows(new Table(tables.flatMap((table) => table.batches)), input.byteLength);
          if (rows === undefined) return;
          expect(decodeAll([input], input.byteLength)).toEqual(rows);
        },
      ),
      fuzzParameters(250),
    );
  });
});
