import { makeVector, RecordBatch, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import {
  dictionaryBatch,
  otherSchemaBatch,
  sampleTable,
  singleFieldSchema,
  tableValues,
} from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks, encodeChunksAsync } from './encode-chunks.js';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { DEFAULT_MAX_CHUNK_BYTES, type IpcChunk } from './ipc-chunk.js';

function concatenate(chunks: IpcChunk[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.data.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk.data, offset);
    offset += chunk.data.byteLength;
  }
  return out;
}

describe('encodeChunks', () => {
  it('produces one standard IPC stream whose bytes Arrow reads back', () => {
    const table = sampleTable(1000);
    const chunks = [...encodeChunks(table, { maxChunkBytes: 1000 })];
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(1);
    expect(chunks[chunks.length - 1]!.endOfChunk).toBe(true);
    const decoded = tableFromIPC(concatenate(chunks));
    expect(tableValues(decoded)).toEqual(tableValues(table));
  });

  it('keeps every chunk within maxChunkBytes, down to 1 byte', () => {
    const table = sampleTable(50);
    for (const maxChunkBytes of [1, 3, 64, 4096]) {
      const chunks = [...encodeChunks(table, { maxChunkBytes })];
      expect(
        chunks.every((chunk) => chunk.data.byteLength >= 1 && chunk.data.byteLength <= maxChunkBytes),
      ).toBe(true);
      expect(concatenate(chunks)).toEqual(tableToIPC(table));
    }
  });

  it('hands out chunks inside a column buffer as views of it, and copies only chunks that span buffers', () => {
    const values = Float64Array.from({ length: 20_000 }, (_, index) => index / 7);
    const table = new Table({ x: makeVector(values) });
    const chunks = [...encodeChunks(table, { maxChunkBytes: 4096 })];
    expect(concatenate(chunks)).toEqual(tableToIPC(table));
    const views = chunks.filter((chunk) => chunk.data.buffer === values.buffer);
    // 160,000 value bytes in 4,096-byte chunks: all but the one or two that straddle its edges are views.
    expect(views.length).toBeGreaterThanOrEqual(Math.floor(values.byteLength / 4096) - 1);
    const copies = chunks.filter((chunk) => chunk.data.buffer !== values.buffer);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.data.byteOffset).toBe(0);
      expect(copy.data.buffer.byteLength).toBe(copy.data.byteLength);
    }
  });

  it('gives a column buffer of half a chunk or more chunks of its own, all views of it, back to back', () => {
    const values = Float64Array.from({ length: 5000 }, (_, index) => index * 1.25);
    const table = new Table({ x: makeVector(values) });
    const chunks = [...encodeChunks(table, { maxChunkBytes: 3000 })];
    expect(concatenate(chunks)).toEqual(tableToIPC(table));
    const views = chunks.filter((chunk) => chunk.data.buffer === values.buffer);
    // Every value byte travels in a view: no copy of the column on the way out.
    expect(views.reduce((sum, chunk) => sum + chunk.data.byteLength, 0)).toBe(values.byteLength);
    for (let index = 1; index < views.length; index += 1) {
      const previous = views[index - 1]!.data;
      expect(views[index]!.data.byteOffset).toBe(previous.byteOffset + previous.byteLength);
    }
  });

  it('round-trips in one process without copying a large column: the decoded values are a view of it', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, index) => index / 3);
    const table = new Table({ x: makeVector(values) });
    const assembler = new ChunkAssembler();
    let decoded: Table | undefined;
    for (const chunk of encodeChunks(table, { maxChunkBytes: 4096 }))
      decoded = assembler.push(chunk) ?? decoded;
    const decodedValues = decoded!.getChild('x')!.data[0]!.values as Float64Array;
    expect(decodedValues.buffer).toBe(values.buffer);
    expect(Array.from(decodedValues)).toEqual(Array.from(values));
  });

  it('defaults to 1 MiB chunks', () => {
    const chunks = [...encodeChunks(sampleTable(200_000))];
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((chunk) => chunk.data.byteLength))).toBe(DEFAULT_MAX_CHUNK_BYTES);
  });

  it('starts a new stream on a schema change mid-iterable and drops no batch', () => {
    const first = sampleTable(10).batches[0]!;
    const second = otherSchemaBatch(3);
    const third = sampleTable(5, 100).batches[0]!;
    const chunks = [...encodeChunks([first, second, third], { maxChunkBytes: 100 })];
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(3);
    const assembler = new ChunkAssembler();
    const tables = chunks.map((chunk) => assembler.push(chunk)).filter((table) => table !== undefined);
    expect(tables.map((table) => table.numRows)).toEqual([10, 3, 5]);
    expect(tables[1]!.schema.fields.map((field) => field.name)).toEqual(['other']);
    expect(tableValues(tables[2]!)).toEqual(tableValues(sampleTable(5, 100)));
  });

  it('keeps batches with the same schema in one stream', () => {
    const batches = [sampleTable(10).batches[0]!, sampleTable(20, 10).batches[0]!];
    const chunks = [...encodeChunks(batches, { maxChunkBytes: 64 })];
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(1);
    const decoded = tableFromIPC(concatenate(chunks));
    expect(decoded.batches).toHaveLength(2);
    expect(decoded.numRows).toBe(30);
  });

  it('starts a new stream every maxBatchesPerStream batches', () => {
    const batches = [0, 1, 2, 3, 4].map((index) => sampleTable(3, index * 3).batches[0]!);
    const chunks = [...encodeChunks(batches, { maxBatchesPerStream: 2 })];
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(3);
    const assembler = new ChunkAssembler();
    const tables = chunks.map((chunk) => assembler.push(chunk)).filter((table) => table !== undefined);
    expect(tables.map((table) => table.numRows)).toEqual([6, 6, 3]);
    expect(() => encodeChunks(batches, { maxBatchesPerStream: 0 })).toThrow(ChunkerConfigError);
  });

  it('writes a schema-only stream for a table without batches', () => {
    const empty = new Table(singleFieldSchema());
    const chunks = [...encodeChunks(empty)];
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.endOfChunk).toBe(true);
    const decoded = tableFromIPC(chunks[0]!.data);
    expect(decoded.numRows).toBe(0);
    expect(decoded.schema.fields.map(String)).toEqual(['x: Int32']);
  });

  it('encodes a single RecordBatch and a zero-row batch', () => {
    const zeroRows = sampleTable(0);
    const batch = zeroRows.batches[0] ?? new RecordBatch(zeroRows.schema);
    const chunks = [...encodeChunks(batch)];
    expect(chunks.at(-1)!.endOfChunk).toBe(true);
    expect(tableFromIPC(concatenate(chunks)).numRows).toBe(0);
  });

  it('writes replacement dictionaries so each batch keeps its own values', () => {
    const batches = [dictionaryBatch(['a', 'b', 'a']), dictionaryBatch(['c', 'd', 'c'])];
    const decoded = tableFromIPC(concatenate([...encodeChunks(batches, { maxChunkBytes: 16 })]));
    expect(tableValues(decoded).tag).toEqual(['a', 'b', 'a', 'c', 'd', 'c']);
  });

  it('gives no chunks for an empty iterable and can be iterated twice', () => {
    expect([...encodeChunks([])]).toEqual([]);
    const chunks = encodeChunks(sampleTable(5));
    expect([...chunks].length).toBe([...chunks].length);
  });

  it('rejects bad maxChunkBytes with ChunkerConfigError', () => {
    for (const maxChunkBytes of [0, -1, 1.5, Number.NaN]) {
      try {
        encodeChunks(sampleTable(1), { maxChunkBytes });
        throw new Error('expected a throw');
      } catch (error) {
        expect(ChunkerConfigError.isInstance(error)).toBe(true);
        expect((error as ChunkerConfigError).code).toBe('CHUNKER_CONFIG');
      }
    }
  });

  it('rejects items that are not record batches, naming the item index', () => {
    const items = [sampleTable(1).batches[0]!, { not: 'a batch' }] as unknown as RecordBatch[];
    expect(() => [...encodeChunks(items)]).toThrow(ChunkerInvalidSourceError);
    try {
      [...encodeChunks(items)];
    } catch (error) {
      expect((error as ChunkerInvalidSourceError).code).toBe('CHUNKER_INVALID_SOURCE');
      expect((error as ChunkerInvalidSourceError).itemIndex).toBe(1);
    }
    expect(() => encodeChunks(42 as unknown as RecordBatch)).toThrow(ChunkerInvalidSourceError);
  });

  it('rejects Arrow objects from another apache-arrow copy', () => {
    const foreign = { [Symbol.for('apache-arrow/Table')]: true, batches: [] } as unknown as Table;
    try {
      encodeChunks(foreign);
      throw new Error('expected a throw');
    } catch (error) {
      expect(ChunkerInvalidSourceError.isInstance(error)).toBe(true);
      // Neither of this install's two builds made it, so it is another installed copy.
      expect((error as ChunkerInvalidSourceError).foreignArrowOrigin).toBe('other-installation');
    }
  });
});

describe('encodeChunksAsync', () => {
  async function collect(iterable: AsyncIterable<IpcChunk>): Promise<IpcChunk[]> {
    const out: IpcChunk[] = [];
    for await (const chunk of iterable) out.push(chunk);
    return out;
  }

  it('encodes an async iterable of batches with a schema change', async () => {
    async function* batches(): AsyncGenerator<RecordBatch> {
      yield sampleTable(4).batches[0]!;
      yield otherSchemaBatch(2);
    }
    const chunks = await collect(encodeChunksAsync(batches(), { maxChunkBytes: 50 }));
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(2);
    expect(chunks.every((chunk) => chunk.data.byteLength <= 50)).toBe(true);
  });

  it('accepts tables and sync iterables too', async () => {
    const fromTable = await collect(encodeChunksAsync(sampleTable(3)));
    const fromArray = await collect(encodeChunksAsync(sampleTable(3).batches));
    expect(concatenate(fromTable)).toEqual(concatenate(fromArray));
  });

  it('rejects a non-iterable source at once', () => {
    expect(() => encodeChunksAsync(7 as unknown as Table)).toThrow(ChunkerInvalidSourceError);
  });
});
