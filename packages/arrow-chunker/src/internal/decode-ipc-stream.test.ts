import {
  CompressionType,
  compressionRegistry,
  makeVector,
  RecordBatchStreamWriter,
  Table,
  tableToIPC,
} from 'apache-arrow';
import type { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { atOddOffset, sampleTable, tableValues } from '../__fixtures__/sample-tables.js';
import { decodeIpcStream } from './decode-ipc-stream.js';
import { walkIpcStream } from './ipc-stream-walker.js';
import { StreamPieces } from './stream-pieces.js';

/** Stream offsets of the first record batch's body and of its buffer `bufferIndex`. */
function locate(bytes: Uint8Array, bufferIndex: number): { bodyOffset: number; start: number; end: number } {
  const span = walkIpcStream(bytes, 'test', 1).batches[0]!;
  const region = (span.message.header() as RecordBatchHeader).buffers[bufferIndex]!;
  const start = span.bodyOffset + region.offset;
  return { bodyOffset: span.bodyOffset, start, end: start + region.length };
}

function valuesOf(table: Table, column: string): ArrayBufferView {
  return table.getChild(column)!.data[0]!.values as ArrayBufferView;
}

describe('decodeIpcStream over pieces', () => {
  it('uses a body that lies within one piece as a view of that piece', () => {
    const table = sampleTable(500);
    const bytes = tableToIPC(table);
    const { bodyOffset } = locate(bytes, 0);
    const body = bytes.slice(bodyOffset);
    const decoded = decodeIpcStream(new StreamPieces([bytes.slice(0, bodyOffset), body]), 'test', 1);
    expect(tableValues(decoded)).toEqual(tableValues(table));
    expect(valuesOf(decoded, 'id').buffer).toBe(body.buffer);
    expect(valuesOf(decoded, 'score').buffer).toBe(body.buffer);
  });

  it('copies a buffer that spans separate pieces, once, into aligned memory', () => {
    const table = sampleTable(500);
    const bytes = tableToIPC(table);
    // Buffer #1 is the `id` values (Int32): cut it in two separate pieces.
    const { start, end } = locate(bytes, 1);
    const middle = start + Math.floor((end - start) / 2);
    const pieces = [bytes.slice(0, middle), bytes.slice(middle)];
    const decoded = decodeIpcStream(new StreamPieces(pieces), 'test', 1);
    expect(tableValues(decoded)).toEqual(tableValues(table));
    const ids = valuesOf(decoded, 'id');
    expect(pieces.some((piece) => piece.buffer === ids.buffer)).toBe(false);
    expect(ids.byteOffset % 8).toBe(0);
    // A buffer wholly inside the second piece stays a view of it.
    expect(valuesOf(decoded, 'score').buffer).toBe(pieces[1]!.buffer);
  });

  it('decodes pieces at odd offsets, copying only the unaligned buffers', () => {
    const table = sampleTable(300);
    const bytes = tableToIPC(table);
    const cut = locate(bytes, 1).start + 5;
    const decoded = decodeIpcStream(
      new StreamPieces([atOddOffset(bytes.subarray(0, cut), 3), atOddOffset(bytes.subarray(cut), 5)]),
      'test',
      1,
    );
    expect(tableValues(decoded)).toEqual(tableValues(table));
    for (const column of ['id', 'score', 'name']) expect(valuesOf(decoded, column).byteOffset % 8).toBe(0);
  });

  it('views a buffer whose zero padding alone lies in another piece', () => {
    // Three Int32 values: 12 bytes of data, which Arrow JS pads to 16 and counts the padding.
    const table = new Table({ x: makeVector(Int32Array.of(7, 8, 9)) });
    const bytes = tableToIPC(table);
    const { start, end } = locate(bytes, 1);
    expect(end - start).toBe(16);
    const decoded = decodeIpcStream(
      new StreamPieces([bytes.subarray(0, start + 12), bytes.slice(start + 12)]),
      'test',
      1,
    );
    expect(tableValues(decoded)).toEqual({ x: [7, 8, 9] });
    expect(valuesOf(decoded, 'x').buffer).toBe(bytes.buffer);
  });

  it('keeps trailing zero bytes that are data, when they lie in another piece', () => {
    // Two Float64 values, the last 0: its top bytes are zeros that look like padding in their own piece.
    const table = new Table({ x: makeVector(Float64Array.of(1.5, 0)) });
    const bytes = tableToIPC(table);
    const { start, end } = locate(bytes, 1);
    expect(end - start).toBe(16);
    const decoded = decodeIpcStream(
      new StreamPieces([bytes.subarray(0, end - 3), bytes.slice(end - 3)]),
      'test',
      1,
    );
    expect(tableValues(decoded)).toEqual({ x: [1.5, 0] });
  });

  it('decodes a stream with compressed bodies through Arrow reader, from separate pieces', () => {
    // A stand-in codec (Arrow checks only the zstd frame magic): its output is never smaller, so Arrow
    // marks each buffer as stored uncompressed, inside a batch whose metadata declares compression.
    const zstdMagic = [40, 181, 47, 253, 0, 0];
    compressionRegistry.set(CompressionType.ZSTD, {
      encode: (data) => Uint8Array.from([...zstdMagic, ...data]),
      decode: (data) => data.subarray(zstdMagic.length),
    });
    const table = sampleTable(400);
    const writer = new RecordBatchStreamWriter({ compressionType: CompressionType.ZSTD });
    const bytes = writer.writeAll(table).toUint8Array(true);
    const header = walkIpcStream(bytes, 'test', 1).batches[0]!.message.header() as RecordBatchHeader;
    expect(header.compression).not.toBeNull();
    const pieces = [bytes.slice(0, 100), bytes.slice(100, 1000), bytes.slice(1000)];
    expect(tableValues(decodeIpcStream(new StreamPieces(pieces), 'test', 1))).toEqual(tableValues(table));
  });
});
