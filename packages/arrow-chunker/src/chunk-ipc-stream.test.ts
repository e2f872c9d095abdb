import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Message, Table, tableToIPC } from 'apache-arrow';
import { FieldNode, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { joinMessages, splitMessages } from './__fixtures__/ipc-messages.js';
import { sampleTable, tableValues } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { chunkIpcStream, chunkIpcStreamAsync } from './chunk-ipc-stream.js';
import { encodeChunks, encodeChunksAsync } from './encode-chunks.js';
import type { ChunkerError } from './errors/chunker-error.js';
import { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
import { ChunkerTruncatedStreamError } from './errors/chunker-truncated-stream-error.js';
import type { IpcChunk } from './ipc-chunk.js';
import { tableToRows } from './record-batch-to-rows.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(__dirname, '__fixtures__', name)));
}

function assembleAll(chunks: Iterable<IpcChunk>, maxStreamBytes?: number): Table[] {
  const assembler = new ChunkAssembler({ maxStreamBytes });
  const tables: Table[] = [];
  for (const chunk of chunks) {
    const table = assembler.push(chunk);
    if (table !== undefined) tables.push(table);
  }
  assembler.close();
  return tables;
}

function joined(chunks: readonly IpcChunk[]): Uint8Array {
  return Uint8Array.from(chunks.flatMap((chunk) => [...chunk.data]));
}

/** `bytes` cut into pieces of the given sizes (cycled). */
function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.byteLength; index += 1) {
    const size = sizes[index % sizes.length]!;
    pieces.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return pieces;
}

function thrown(action: () => unknown): ChunkerError {
  try {
    action();
  } catch (error) {
    return error as ChunkerError;
  }
  throw new Error('expected a throw');
}

describe('chunkIpcStream: IPC stream bytes you already have, in bounded chunks', () => {
  it('passes a stream through byte for byte, in chunks of at most maxChunkBytes, as views of the input', () => {
    const table = sampleTable(5000);
    const bytes = tableToIPC(table);
    const chunks = [...chunkIpcStream(bytes, { maxChunkBytes: 4096 })];
    expect(chunks.every((chunk) => chunk.data.byteLength >= 1 && chunk.data.byteLength <= 4096)).toBe(true);
    expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(1);
    expect(chunks.at(-1)!.endOfChunk).toBe(true);
    expect(joined(chunks)).toEqual(bytes);
    expect(chunks.filter((chunk) => chunk.data.buffer === bytes.buffer).length).toBeGreaterThan(
      chunks.length / 2,
    );
    expect(tableValues(assembleAll(chunks)[0]!)).toEqual(tableValues(table));
  });

  it('takes the stream in pieces cut anywhere, sync or async', async () => {
    const table = sampleTable(700);
    const bytes = tableToIPC(table);
    const pieces = cut(bytes, [1, 3, 7, 500, 2, 4096]);
    expect(joined([...chunkIpcStream(pieces, { maxChunkBytes: 999 })])).toEqual(bytes);
    const asyncChunks: IpcChunk[] = [];
    for await (const chunk of chunkIpcStreamAsync(Readable.from(pieces), { maxChunkBytes: 999 })) {
      asyncChunks.push(chunk);
    }
    expect(tableValues(assembleAll(asyncChunks)[0]!)).toEqual(tableValues(table));
  });

  it.each([
    'pyarrow-mixed.arrows',
    'pyarrow-dictionary-delta.arrows',
    'pyarrow-dictionary-replacement.arrows',
    'pyarrow-schema-only.arrows',
    'pyarrow-zero-rows.arrows',
  ])('chunks the pyarrow stream %s so that it decodes as the original', (name) => {
    const bytes = fixture(name);
    const direct = assembleAll([{ data: bytes, endOfChunk: true }]);
    const chunked = assembleAll(chunkIpcStream(cut(bytes, [5, 64]), { maxChunkBytes: 100 }));
    expect(chunked).toHaveLength(1);
    expect(tableToRows(chunked[0]!)).toEqual(tableToRows(direct[0]!));
    expect(chunked[0]!.schema.fields.map(String)).toEqual(direct[0]!.schema.fields.map(String));
  });

  it('makes one chunked stream per concatenated input stream', () => {
    const first = tableToIPC(sampleTable(10));
    const second = tableToIPC(sampleTable(20, 10));
    const tables = assembleAll(chunkIpcStream([first, second], { maxChunkBytes: 50 }));
    expect(tables.map((table) => table.numRows)).toEqual([10, 20]);
  });

  it('cuts a stream longer than maxStreamBytes into streams the receiver with that limit accepts', () => {
    const batches = Array.from({ length: 12 }, (_, index) => sampleTable(400, index * 400).batches[0]!);
    const bytes = tableToIPC(new Table(batches));
    const maxStreamBytes = Math.ceil(bytes.byteLength / 4);
    const chunks = [...chunkIpcStream(bytes, { maxStreamBytes, maxChunkBytes: 1000 })];
    const tables = assembleAll(chunks, maxStreamBytes);
    expect(tables.length).toBeGreaterThanOrEqual(4);
    expect(tableToRows(new Table(tables.flatMap((table) => table.batches)))).toEqual(
      tableToRows(new Table(batches)),
    );
  });

  it('repeats the dictionaries in force (replacement and deltas) in every stream it starts', () => {
    for (const name of ['pyarrow-dictionary-delta.arrows', 'pyarrow-dictionary-replacement.arrows']) {
      const bytes = fixture(name);
      const expected = tableToRows(assembleAll([{ data: bytes, endOfChunk: true }])[0]!);
      // Both fixtures are under 900 bytes: schema, dictionary, batch, dictionary (delta or
      // replacement), batch. 720 bytes hold the schema, the dictionaries in force and one batch.
      expect(bytes.byteLength).toBeGreaterThan(800);
      const maxStreamBytes = 720;
      const tables = assembleAll(
        chunkIpcStream(bytes, { maxStreamBytes, maxChunkBytes: 64 }),
        maxStreamBytes,
      );
      expect({ name, streams: tables.length > 1 }).toEqual({ name, streams: true });
      expect(tables.flatMap((table) => tableToRows(table))).toEqual(expected);
    }
  });

  describe('errors', () => {
    it('refuses bytes that are not an IPC stream, with the byte offset', () => {
      const error = thrown(() => [...chunkIpcStream(new Uint8Array(64).fill(7))]);
      expect(ChunkerInvalidIpcError.isInstance(error)).toBe(true);
      expect((error as ChunkerInvalidIpcError).byteOffset).toBe(0);
    });

    it('refuses a stream cut inside a message or before its end-of-stream marker', () => {
      const bytes = tableToIPC(sampleTable(50));
      const inside = thrown(() => [...chunkIpcStream(bytes.subarray(0, bytes.byteLength - 20))]);
      expect(ChunkerTruncatedStreamError.isInstance(inside)).toBe(true);
      const noEndMarker = thrown(() => [...chunkIpcStream(bytes.subarray(0, bytes.byteLength - 8))]);
      expect(ChunkerTruncatedStreamError.isInstance(noEndMarker)).toBe(true);
      expect(noEndMarker.message).toMatch(/without the end-of-stream marker/);
    });

    it('checks batch headers without reading bodies: a batch length of -1 is refused at its offset', () => {
      const messages = splitMessages(tableToIPC(sampleTable(8)));
      const header = messages[1]!.message.header() as RecordBatchHeader;
      const broken = new RecordBatchHeader(
        -1,
        header.nodes.map((node) => new FieldNode(-1, node.nullCount)),
        header.buffers,
        null,
      );
      const bytes = joinMessages([
        messages[0]!,
        [Message.from(broken, messages[1]!.body.byteLength), messages[1]!.body],
      ]);
      const error = thrown(() => [...chunkIpcStream(bytes)]);
      expect(ChunkerInvalidIpcError.isInstance(error)).toBe(true);
      expect((error as ChunkerInvalidIpcError).byteOffset).toBe(messages[1]!.byteOffset);
    });

    it('refuses a message that cannot fit a stream of maxStreamBytes, before buffering it', () => {
      const bytes = tableToIPC(sampleTable(5000));
      const error = thrown(() => [...chunkIpcStream(bytes, { maxStreamBytes: 4096 })]);
      expect(ChunkerStreamTooLargeError.isInstance(error)).toBe(true);
    });

    it('refuses pieces that are not bytes, and sources that are not bytes or iterables', () => {
      expect(() => [...chunkIpcStream(['x'] as unknown as Uint8Array[])]).toThrow(ChunkerInvalidSourceError);
      expect(() => chunkIpcStream(42 as unknown as Uint8Array)).toThrow(ChunkerInvalidSourceError);
      expect(() => chunkIpcStreamAsync(null as unknown as Uint8Array)).toThrow(ChunkerInvalidSourceError);
    });
  });
});

describe('encodeChunks given bytes', () => {
  it('refuses them with CHUNKER_INVALID_SOURCE pointing to chunkIpcStream, never reading them as batches', async () => {
    const bytes = tableToIPC(sampleTable(3));
    for (const action of [
      () => encodeChunks(bytes as never),
      () => [...encodeChunks([bytes] as never)],
      () => encodeChunksAsync(bytes as never),
      () => encodeChunks(Buffer.from(bytes) as never),
    ]) {
      const error = thrown(action);
      expect(ChunkerInvalidSourceError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/chunkIpcStream/);
    }
    await expect(
      (async () => {
        for await (const chunk of encodeChunksAsync(
          (async function* () {
            yield bytes;
          })() as never,
        ))
          void chunk;
      })(),
    ).rejects.toThrow(/chunkIpcStream/);
  });
});
