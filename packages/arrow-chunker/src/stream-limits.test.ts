import { makeVector, type RecordBatch, Table, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { dictionaryBatch, sampleTable, tableValues } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
import { DEFAULT_MAX_STREAM_BYTES, type IpcChunk } from './ipc-chunk.js';
import { tableToRows } from './record-batch-to-rows.js';

/** Byte length of every stream in `chunks` (a stream ends at its `endOfChunk` chunk). */
function streamSizes(chunks: readonly IpcChunk[]): number[] {
  const sizes: number[] = [];
  let current = 0;
  for (const chunk of chunks) {
    current += chunk.data.byteLength;
    if (chunk.endOfChunk) {
      sizes.push(current);
      current = 0;
    }
  }
  expect(current).toBe(0);
  return sizes;
}

function assembleAll(chunks: readonly IpcChunk[], maxStreamBytes?: number): Table[] {
  const assembler = new ChunkAssembler({ maxStreamBytes });
  const tables = chunks.map((chunk) => assembler.push(chunk)).filter((table) => table !== undefined);
  assembler.close();
  return tables;
}

describe('sender and receiver limits agree (maxStreamBytes)', () => {
  it('with the defaults on both sides, a 320 MB table becomes streams the default receiver accepts', () => {
    // 40,000,000 float64 zeros: the memory is never written, so the kernel does not back it with
    // pages, and the encoder and the assembler only make views of it: the test process stays small.
    const table = new Table({ x: makeVector(new Float64Array(40_000_000)) });
    const chunks = [...encodeChunks(table)];
    const sizes = streamSizes(chunks);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(DEFAULT_MAX_STREAM_BYTES);
    const tables = assembleAll(chunks);
    expect(tables.reduce((rows, part) => rows + part.numRows, 0)).toBe(40_000_000);
  });

  it('the default receiver limit is 256 MiB (DEFAULT_MAX_STREAM_BYTES), the sender default', () => {
    expect(DEFAULT_MAX_STREAM_BYTES).toBe(268_435_456);
    // 256 views of one 1 MiB buffer: counted as 256 MiB, held as 1 MiB.
    const piece = new Uint8Array(1_048_576);
    const assembler = new ChunkAssembler();
    for (let index = 0; index < 256; index += 1) assembler.push({ data: piece, endOfChunk: false });
    expect(assembler.pendingBytes).toBe(DEFAULT_MAX_STREAM_BYTES);
    expect(() => assembler.push({ data: piece.subarray(0, 1), endOfChunk: true })).toThrow(
      ChunkerStreamTooLargeError,
    );
  });

  it('splits a table too large for one stream into several streams the receiver accepts', () => {
    const table = sampleTable(20_000);
    const oneStream = tableToIPC(table).byteLength;
    const maxStreamBytes = 65_536;
    expect(oneStream).toBeGreaterThan(5 * maxStreamBytes);
    // The receiver with the same limit refuses the unsplit stream...
    expect(() => assembleAll([{ data: tableToIPC(table), endOfChunk: true }], maxStreamBytes)).toThrow(
      ChunkerStreamTooLargeError,
    );
    // ...and accepts what the sender makes with that limit.
    const chunks = [...encodeChunks(table, { maxStreamBytes, maxChunkBytes: 8192 })];
    const sizes = streamSizes(chunks);
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(maxStreamBytes);
    const tables = assembleAll(chunks, maxStreamBytes);
    expect(tables).toHaveLength(sizes.length);
    const decoded = new Table(tables.flatMap((part) => part.batches));
    expect(tableValues(decoded)).toEqual(tableValues(table));
  });

  it('starts a new stream before a batch that would pass the limit, keeping batches whole when they fit', () => {
    const batches = Array.from({ length: 6 }, (_, index) => sampleTable(500, index * 500).batches[0]!);
    const oneBatchStream = tableToIPC(new Table([batches[0]!])).byteLength;
    const maxStreamBytes = Math.floor(oneBatchStream * 2.5);
    const chunks = [...encodeChunks(batches, { maxStreamBytes })];
    const tables = assembleAll(chunks, maxStreamBytes);
    expect(tables.map((table) => table.batches.length)).toEqual([2, 2, 2]);
    expect(Math.max(...streamSizes(chunks))).toBeLessThanOrEqual(maxStreamBytes);
  });

  it('repeats dictionaries in every stream it starts', () => {
    const batches = Array.from({ length: 8 }, (_, index) =>
      dictionaryBatch(Array.from({ length: 300 }, (_, row) => `value-${(row * 7 + index) % 40}`)),
    );
    const maxStreamBytes = 6_000;
    const chunks = [...encodeChunks(batches, { maxStreamBytes, maxChunkBytes: 1000 })];
    expect(streamSizes(chunks).length).toBeGreaterThan(1);
    const rows = assembleAll(chunks, maxStreamBytes).flatMap((table) => tableToRows(table));
    expect(rows).toEqual(batches.flatMap((batch) => tableToRows(new Table([batch]))));
  });

  it('refuses a single row larger than maxStreamBytes with a typed error', () => {
    const bigRow = sampleTable(1);
    expect(() => [...encodeChunks(bigRow, { maxStreamBytes: 200 })]).toThrow(ChunkerInvalidSourceError);
  });

  it('keeps every stream within the limit for random batches, sizes and limits (property)', () => {
    const batchArbitrary = fc.oneof(
      fc
        .record({ rows: fc.integer({ min: 0, max: 3000 }), offset: fc.nat(1000) })
        .map(
          ({ rows, offset }): RecordBatch =>
            sampleTable(rows, offset).batches[0] ?? sampleTable(1).batches[0]!,
        ),
      fc
        .array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 400 })
        .map((values): RecordBatch => dictionaryBatch(values)),
    );
    fc.assert(
      fc.property(
        fc.array(batchArbitrary, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 4096, max: 200_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        (batches, maxStreamBytes, maxChunkBytes) => {
          const chunks = [...encodeChunks(batches, { maxStreamBytes, maxChunkBytes })];
          expect(Math.max(...streamSizes(chunks))).toBeLessThanOrEqual(maxStreamBytes);
          const rows = assembleAll(chunks, maxStreamBytes).flatMap((table) => tableToRows(table));
          expect(rows).toEqual(batches.flatMap((batch) => tableToRows(new Table([batch]))));
        },
      ),
      { numRuns: 40, seed: 16_005 },
    );
  });
});
