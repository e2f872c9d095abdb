import { RecordBatchStreamWriter, Table, tableToIPC } from 'apache-arrow';
import {
  atOddOffset,
  detachChunks,
  dictionaryBatch,
  sampleTable,
  singleFieldSchema,
  tableValues,
} from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { ChunkerClosedError } from './errors/chunker-closed-error.js';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import { ChunkerError } from './errors/chunker-error.js';
import { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
import { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
import { ChunkerTruncatedStreamError } from './errors/chunker-truncated-stream-error.js';
import { ChunkerUnterminatedStreamError } from './errors/chunker-unterminated-stream-error.js';
import type { IpcChunk } from './ipc-chunk.js';
import { tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

function pushAll(assembler: ChunkAssembler, chunks: Iterable<IpcChunk>): Table[] {
  const tables: Table[] = [];
  for (const chunk of chunks) {
    const table = assembler.push(chunk);
    if (table !== undefined) tables.push(table);
  }
  return tables;
}

function catchError(action: () => unknown): ChunkerError {
  try {
    action();
  } catch (error) {
    return error as ChunkerError;
  }
  throw new Error('expected a throw');
}

describe('ChunkAssembler', () => {
  it('reassembles detached chunks (one copy) into the original table', () => {
    const table = sampleTable(3000);
    const assembler = new ChunkAssembler({ channel: 'anchor A' });
    const chunks = detachChunks(encodeChunks(table, { maxChunkBytes: 700 }));
    const tables = pushAll(assembler, chunks);
    expect(tables).toHaveLength(1);
    expect(tableValues(tables[0]!)).toEqual(tableValues(table));
    expect(assembler.pendingBytes).toBe(0);
  });

  it('reports pendingBytes while a stream is in progress', () => {
    const assembler = new ChunkAssembler();
    const chunks = [...encodeChunks(sampleTable(100), { maxChunkBytes: 100 })];
    assembler.push(chunks[0]!);
    assembler.push(chunks[1]!);
    expect(assembler.pendingBytes).toBe(chunks[0]!.data.byteLength + chunks[1]!.data.byteLength);
  });

  it('decodes a single-chunk stream in place, without copying its bytes', () => {
    const bytes = tableToIPC(sampleTable(100));
    const table = new ChunkAssembler().push({ data: bytes, endOfChunk: true })!;
    const idValues = table.getChild('id')!.data[0]!.values as Int32Array;
    expect(idValues.buffer).toBe(bytes.buffer);
  });

  it('decodes adjacent views of one buffer without concatenating them', () => {
    const bytes = tableToIPC(sampleTable(100));
    const chunks = [
      { data: bytes.subarray(0, 100), endOfChunk: false },
      { data: bytes.subarray(100), endOfChunk: true },
    ];
    const table = pushAll(new ChunkAssembler(), chunks)[0]!;
    expect((table.getChild('id')!.data[0]!.values as Int32Array).buffer).toBe(bytes.buffer);
  });

  it('decodes a stream that sits at an odd byte offset (protobuf views)', () => {
    const table = sampleTable(257);
    const unaligned = atOddOffset(tableToIPC(table), 3);
    expect(unaligned.byteOffset % 8).not.toBe(0);
    const decoded = new ChunkAssembler().push({ data: unaligned, endOfChunk: true })!;
    expect(tableValues(decoded)).toEqual(tableValues(table));
    const values = decoded.getChild('id')!.data[0]!.values as Int32Array;
    expect(values.byteOffset % 8).toBe(0);
  });

  it('decodes chunks that are each at odd offsets of separate buffers', () => {
    const table = sampleTable(300);
    const chunks = [...encodeChunks(table, { maxChunkBytes: 333 })].map((chunk, index) => ({
      data: atOddOffset(chunk.data, 1 + (index % 7)),
      endOfChunk: chunk.endOfChunk,
    }));
    expect(tableValues(pushAll(new ChunkAssembler(), chunks)[0]!)).toEqual(tableValues(table));
  });

  it('decodes schema-only streams and streams with replacement dictionaries', () => {
    const assembler = new ChunkAssembler();
    const empty = assembler.push({ data: tableToIPC(new Table(singleFieldSchema())), endOfChunk: true })!;
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map(String)).toEqual(['x: Int32']);
    const dictionaries = [dictionaryBatch(['x', 'y']), dictionaryBatch(['z', 'z', 'w'])];
    const decoded = pushAll(assembler, detachChunks(encodeChunks(dictionaries, { maxChunkBytes: 8 })))[0]!;
    expect(tableValues(decoded).tag).toEqual(['x', 'y', 'z', 'z', 'w']);
  });

  it('decodes streams in the pre-0.15 legacy framing (no continuation marker)', () => {
    const table = sampleTable(40);
    const legacy = RecordBatchStreamWriter.writeAll(table, { writeLegacyIpcFormat: true }).toUint8Array(true);
    expect(new DataView(legacy.buffer, legacy.byteOffset).getInt32(0, true)).not.toBe(-1);
    const decoded = new ChunkAssembler().push({ data: legacy, endOfChunk: true })!;
    expect(tableValues(decoded)).toEqual(tableValues(table));
  });

  it('assembles several streams in sequence on one channel', () => {
    const assembler = new ChunkAssembler();
    const first = pushAll(assembler, encodeChunks(sampleTable(5), { maxChunkBytes: 64 }));
    const second = pushAll(assembler, encodeChunks(sampleTable(7, 5), { maxChunkBytes: 64 }));
    expect([...first, ...second].map((table) => table.numRows)).toEqual([5, 7]);
  });

  it('assembles interleaved channels independently, one assembler each', () => {
    const left = detachChunks(encodeChunks(sampleTable(40), { maxChunkBytes: 90 }));
    const right = detachChunks(encodeChunks(sampleTable(60, 1000), { maxChunkBytes: 70 }));
    const assemblers = {
      left: new ChunkAssembler({ channel: 'left' }),
      right: new ChunkAssembler({ channel: 'right' }),
    };
    const results: Record<string, Table[]> = { left: [], right: [] };
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
      for (const [name, chunks] of [
        ['left', left],
        ['right', right],
      ] as const) {
        const chunk = chunks[index];
        if (chunk === undefined) continue;
        const table = assemblers[name].push(chunk);
        if (table !== undefined) results[name]!.push(table);
      }
    }
    expect(tableValues(results.left![0]!)).toEqual(tableValues(sampleTable(40)));
    expect(tableValues(results.right![0]!)).toEqual(tableValues(sampleTable(60, 1000)));
  });

  describe('errors', () => {
    it('rejects garbage bytes with ChunkerInvalidIpcError naming the channel', () => {
      const error = catchError(() =>
        new ChunkerAssemblerFactory('conn #1')
          .create()
          .push({ data: new Uint8Array(64).fill(7), endOfChunk: true }),
      );
      expect(ChunkerInvalidIpcError.isInstance(error)).toBe(true);
      expect(error.code).toBe('CHUNKER_INVALID_IPC');
      expect((error as ChunkerInvalidIpcError).channel).toBe('conn #1');
      expect((error as ChunkerInvalidIpcError).byteOffset).toBe(0);
    });

    it('rejects an empty stream and bytes after the end-of-stream marker', () => {
      const assembler = new ChunkAssembler();
      expect(catchError(() => assembler.push({ data: new Uint8Array(0), endOfChunk: true })).code).toBe(
        'CHUNKER_INVALID_IPC',
      );
      const bytes = tableToIPC(sampleTable(3));
      const twice = new Uint8Array(bytes.byteLength * 2);
      twice.set(bytes, 0);
      twice.set(bytes, bytes.byteLength);
      const error = catchError(() =>
        assembler.push({ data: twice, endOfChunk: true }),
      ) as ChunkerInvalidIpcError;
      expect(error.code).toBe('CHUNKER_INVALID_IPC');
      expect(error.byteOffset).toBe(bytes.byteLength);
    });

    it('rejects a truncated stream at every cut point with the offset of the broken message', () => {
      const bytes = tableToIPC(sampleTable(20));
      for (let cut = 1; cut < bytes.byteLength; cut += 1) {
        const error = catchError(() =>
          new ChunkAssembler().push({ data: bytes.slice(0, cut), endOfChunk: true }),
        );
        expect(error.code === 'CHUNKER_TRUNCATED_STREAM' || error.code === 'CHUNKER_INVALID_IPC').toBe(true);
        if (ChunkerTruncatedStreamError.isInstance(error)) {
          expect(error.byteOffset).toBeLessThanOrEqual(cut);
          expect(error.streamNumber).toBe(1);
        }
      }
      const missingEndMarker = catchError(() =>
        new ChunkAssembler().push({ data: bytes.slice(0, bytes.byteLength - 8), endOfChunk: true }),
      );
      expect(missingEndMarker.code).toBe('CHUNKER_TRUNCATED_STREAM');
      expect((missingEndMarker as ChunkerTruncatedStreamError).byteOffset).toBe(bytes.byteLength - 8);
    });

    it('wraps corrupt record batch bodies that Arrow cannot read', () => {
      const bytes = tableToIPC(sampleTable(20));
      const corrupt = bytes.slice();
      // Flip bytes inside the record batch metadata so Arrow's reader fails past our framing checks.
      const secondMessage = new DataView(corrupt.buffer).getInt32(4, true) + 8;
      for (let index = secondMessage + 24; index < secondMessage + 60; index += 1) corrupt[index] = 0xee;
      const error = catchError(() => new ChunkAssembler().push({ data: corrupt, endOfChunk: true }));
      expect(error.code).toBe('CHUNKER_INVALID_IPC');
    });

    it('overwriting any 4 bytes of a stream gives a Table or a typed error, and rows or a typed error', () => {
      const batch = rowsToRecordBatch([
        { id: 1, s: 'x', l: [1, 2], o: { a: true }, d: new Date(0), b: 5n },
        { id: null, s: null, l: null, o: null, d: null, b: null },
      ]);
      const bytes = tableToIPC(new Table([batch]));
      for (const value of [2 ** 16, 2 ** 31 - 1]) {
        for (let at = 0; at + 4 <= bytes.byteLength; at += 1) {
          const corrupt = bytes.slice();
          new DataView(corrupt.buffer).setUint32(at, value, true);
          try {
            tableToRows(new ChunkAssembler().push({ data: corrupt, endOfChunk: true })!);
          } catch (error) {
            if (!ChunkerError.isInstance(error)) throw error;
          }
        }
      }
    });

    it('enforces maxStreamBytes, then skips the rest of that stream and continues', () => {
      const assembler = new ChunkAssembler({ maxStreamBytes: 1000, channel: 'limited' });
      const big = [...encodeChunks(sampleTable(500), { maxChunkBytes: 400 })];
      const errors: ChunkerError[] = [];
      for (const chunk of big) {
        try {
          expect(assembler.push(chunk)).toBeUndefined();
        } catch (error) {
          errors.push(error as ChunkerError);
        }
      }
      expect(errors).toHaveLength(1);
      expect(ChunkerStreamTooLargeError.isInstance(errors[0])).toBe(true);
      expect((errors[0] as ChunkerStreamTooLargeError).channel).toBe('limited');
      expect(assembler.pendingBytes).toBe(0);
      const next = pushAll(assembler, encodeChunks(sampleTable(3), { maxChunkBytes: 400 }));
      expect(next.map((table) => table.numRows)).toEqual([3]);
    });

    it('throws ChunkerUnterminatedStreamError on close mid-stream, then ChunkerClosedError on push', () => {
      const assembler = new ChunkAssembler({ channel: 'c' });
      const chunks = [...encodeChunks(sampleTable(50), { maxChunkBytes: 100 })];
      assembler.push(chunks[0]!);
      const unterminated = catchError(() => assembler.close());
      expect(ChunkerUnterminatedStreamError.isInstance(unterminated)).toBe(true);
      expect((unterminated as ChunkerUnterminatedStreamError).byteOffset).toBe(chunks[0]!.data.byteLength);
      const closed = catchError(() => assembler.push(chunks[1]!));
      expect(ChunkerClosedError.isInstance(closed)).toBe(true);
      expect(closed.code).toBe('CHUNKER_CLOSED');
    });

    it('closes cleanly between streams', () => {
      const assembler = new ChunkAssembler();
      pushAll(assembler, encodeChunks(sampleTable(2)));
      expect(() => assembler.close()).not.toThrow();
      expect(() => assembler.close()).not.toThrow();
    });

    it('rejects malformed chunks and bad options', () => {
      const malformed = catchError(() =>
        new ChunkAssembler().push({ data: 'x', endOfChunk: true } as unknown as IpcChunk),
      );
      expect(malformed.code).toBe('CHUNKER_INVALID_IPC');
      expect(ChunkerConfigError.isInstance(catchError(() => new ChunkAssembler({ maxStreamBytes: 0 })))).toBe(
        true,
      );
    });
  });
});

class ChunkerAssemblerFactory {
  constructor(private readonly channel: string) {}
  create(): ChunkAssembler {
    return new ChunkAssembler({ channel: this.channel });
  }
}
