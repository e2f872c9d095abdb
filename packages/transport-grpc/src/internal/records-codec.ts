/**
 * Hand-written encoder for the one hot message shape: a RecordTransfer message whose payload is a
 * records piece (`IncomingRecords` in field 1 of RecordTransferIn, `OutgoingRecords` in field 2 of
 * RecordTransferOut; both `{1: anchor_name, 2: connection_name, 3: data, 4: end_of_chunk}`). The
 * generic writer grows its buffer, shifts the nested message to prefix its length and copies once
 * more at the end; here the size is known up front, so the ~1 MB of data is copied exactly once.
 * The bytes are canonical proto3 (empty strings and false are omitted), which every decoder reads.
 * {@link encodeRecordsPieceParts} gives the same bytes as parts, for a carrier that writes them as they are.
 */

export interface RecordsPiece {
  anchorName?: string | null;
  connectionName?: string | null;
  data?: Uint8Array | null;
  endOfChunk?: boolean | null;
}

function varintSize(value: number): number {
  let size = 1;
  let rest = value;
  while (rest > 127) {
    rest = Math.floor(rest / 128);
    size += 1;
  }
  return size;
}

function writeVarint(target: Buffer, offset: number, value: number): number {
  let position = offset;
  let rest = value;
  while (rest > 127) {
    target[position] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
    position += 1;
  }
  target[position] = rest;
  return position + 1;
}

function lengthDelimitedSize(length: number): number {
  return length === 0 ? 0 : 1 + varintSize(length) + length;
}

/**
 * Message bytes that own their whole ArrayBuffer. nice-grpc passes every serialized message through
 * `Buffer.from()`, which copies a Uint8Array but only views an ArrayBuffer, and which follows
 * `valueOf()` (both documented Node behaviour). Answering `valueOf()` with the exact ArrayBuffer makes
 * that hand-off copy-free, so a records message is copied once by us and once by gRPC's framing.
 * Views derived from it (`subarray`, `slice`) are plain Uint8Arrays, and a view that does not cover
 * its whole buffer answers `valueOf()` as any array does.
 */
class WholeBufferBytes extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }
}
Object.defineProperty(WholeBufferBytes.prototype, 'valueOf', {
  value(this: Uint8Array): unknown {
    return this.byteOffset === 0 && this.byteLength === this.buffer.byteLength ? this.buffer : this;
  },
});

/** Encodes `{ [outerField]: piece }` for RecordTransferIn (field 1) or RecordTransferOut (field 2). */
export function encodeRecordsPiece(outerField: 1 | 2, piece: RecordsPiece): Uint8Array {
  const anchor = Buffer.from(piece.anchorName ?? '', 'utf8');
  const connection = Buffer.from(piece.connectionName ?? '', 'utf8');
  const data = piece.data ?? new Uint8Array(0);
  const innerSize =
    lengthDelimitedSize(anchor.length) +
    lengthDelimitedSize(connection.length) +
    lengthDelimitedSize(data.byteLength) +
    (piece.endOfChunk === true ? 2 : 0);
  // Not pooled: the message must start at offset 0 of an ArrayBuffer of exactly its size.
  const output = Buffer.allocUnsafeSlow(1 + varintSize(innerSize) + innerSize);
  let offset = 0;
  output[offset++] = (outerField << 3) | 2;
  offset = writeVarint(output, offset, innerSize);
  const writeBytes = (field: number, bytes: Uint8Array) => {
    if (bytes.byteLength === 0) return;
    output[offset++] = (field << 3) | 2;
    offset = writeVarint(output, offset, bytes.byteLength);
    output.set(bytes, offset);
    offset += bytes.byteLength;
  };
  writeBytes(1, anchor);
  writeBytes(2, connection);
  writeBytes(3, data);
  if (piece.endOfChunk === true) {
    output[offset++] = 4 << 3;
    output[offset++] = 1;
  }
  return new WholeBufferBytes(output.buffer, output.byteOffset, output.byteLength);
}

/** `end_of_chunk: true` (field 4, varint 1), the last part of a piece that ends its stream. */
const endOfChunkField = Uint8Array.of(4 << 3, 1);

/**
 * The bytes of {@link encodeRecordsPiece} as parts that concatenate to them: a small buffer with every
 * field up to the data's length, `data` itself (a view, not a copy), and the `end_of_chunk` field. The
 * caller must keep `data` unchanged until the parts are written.
 */
export function encodeRecordsPieceParts(outerField: 1 | 2, piece: RecordsPiece): Uint8Array[] {
  const anchor = Buffer.from(piece.anchorName ?? '', 'utf8');
  const connection = Buffer.from(piece.connectionName ?? '', 'utf8');
  const data = piece.data ?? new Uint8Array(0);
  const endOfChunk = piece.endOfChunk === true;
  const innerSize =
    lengthDelimitedSize(anchor.length) +
    lengthDelimitedSize(connection.length) +
    lengthDelimitedSize(data.byteLength) +
    (endOfChunk ? 2 : 0);
  const dataHeaderSize = data.byteLength === 0 ? 0 : 1 + varintSize(data.byteLength);
  const head = Buffer.allocUnsafe(
    1 +
      varintSize(innerSize) +
      lengthDelimitedSize(anchor.length) +
      lengthDelimitedSize(connection.length) +
      dataHeaderSize,
  );
  let offset = 0;
  head[offset++] = (outerField << 3) | 2;
  offset = writeVarint(head, offset, innerSize);
  const writeBytes = (field: number, bytes: Uint8Array) => {
    if (bytes.byteLength === 0) return;
    head[offset++] = (field << 3) | 2;
    offset = writeVarint(head, offset, bytes.byteLength);
    head.set(bytes, offset);
    offset += bytes.byteLength;
  };
  writeBytes(1, anchor);
  writeBytes(2, connection);
  const parts: Uint8Array[] = [head];
  if (data.byteLength > 0) {
    head[offset++] = (3 << 3) | 2;
    writeVarint(head, offset, data.byteLength);
    parts.push(data);
  }
  if (endOfChunk) parts.push(endOfChunkField);
  return parts;
}
