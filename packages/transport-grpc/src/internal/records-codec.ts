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

/**
 * Encodes `{ [outerField]: piece }` for RecordTransferIn (field 1) or RecordTransferOut (field 2) into
 * one buffer: {@link encodeRecordsPieceParts}, copied once.
 */
export function encodeRecordsPiece(outerField: 1 | 2, piece: RecordsPiece): Uint8Array {
  const parts = encodeRecordsPieceParts(outerField, piece);
  let length = 0;
  for (const part of parts) length += part.byteLength;
  // Not pooled: the message must start at offset 0 of an ArrayBuffer of exactly its size.
  const output = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.byteLength;
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

/**
 * A records piece decoded from a message that arrived in parts: `dataParts` are views of the received
 * frames (nothing copied); `data` joins them on first use, for code that wants one buffer.
 */
export class ReceivedRecordsPiece {
  /** The data as one buffer, joined on first read (an own, enumerable getter: copies of the piece keep it). */
  declare readonly data: Uint8Array;

  constructor(
    readonly anchorName: string,
    readonly connectionName: string,
    readonly dataParts: readonly Uint8Array[],
    readonly endOfChunk: boolean,
  ) {
    let joined: Uint8Array | undefined;
    Object.defineProperty(this, 'data', {
      enumerable: true,
      get: () => {
        joined ??= joinParts(dataParts);
        return joined;
      },
    });
  }
}

function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  return Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
}

/** Reads protobuf wire values across message parts without joining them. */
class PartsCursor {
  private index = 0;
  private offset = 0;
  position = 0;

  constructor(private readonly parts: readonly Uint8Array[]) {}

  byte(): number | undefined {
    while (this.index < this.parts.length) {
      const part = this.parts[this.index] as Uint8Array;
      if (this.offset < part.byteLength) {
        this.position += 1;
        return part[this.offset++];
      }
      this.index += 1;
      this.offset = 0;
    }
    return undefined;
  }

  /** A varint up to 2^53; undefined when truncated or longer. */
  varint(): number | undefined {
    let value = 0;
    let scale = 1;
    for (let count = 0; count < 8; count += 1) {
      const byte = this.byte();
      if (byte === undefined) return undefined;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return undefined;
  }

  /** The next `length` bytes as views; undefined when fewer remain. */
  take(length: number): Uint8Array[] | undefined {
    const views: Uint8Array[] = [];
    let left = length;
    while (left > 0) {
      const part = this.parts[this.index];
      if (part === undefined) return undefined;
      const available = part.byteLength - this.offset;
      if (available === 0) {
        this.index += 1;
        this.offset = 0;
        continue;
      }
      const size = Math.min(available, left);
      views.push(part.subarray(this.offset, this.offset + size));
      this.offset += size;
      this.position += size;
      left -= size;
    }
    return views;
  }
}

// Fatal: proto3 strings are UTF-8, and the generated codec refuses invalid UTF-8; replacing it here
// would let the http2 carrier take a name the grpc-js carrier refuses.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `views` as UTF-8 text; undefined when they are not valid UTF-8. */
function utf8Text(views: readonly Uint8Array[]): string | undefined {
  try {
    return utf8.decode(joinParts(views));
  } catch {
    return undefined;
  }
}

/**
 * Decodes `{ [outerField]: records piece }` (see {@link encodeRecordsPiece}) from a message given as
 * parts, leaving the data in the parts. Any encoding proto3 allows for that shape is read (fields in
 * any order, repeated fields (last wins), unknown fields skipped). Anything else (another payload,
 * more top-level fields, groups, truncation, a name that is not UTF-8) gives undefined: decode it with
 * the generated codec, which also reports malformed bytes.
 */
export function decodeRecordsPieceParts(
  outerField: 1 | 2,
  parts: readonly Uint8Array[],
  byteLength: number,
): ReceivedRecordsPiece | undefined {
  const cursor = new PartsCursor(parts);
  if (cursor.byte() !== ((outerField << 3) | 2)) return undefined;
  const innerLength = cursor.varint();
  if (innerLength === undefined || cursor.position + innerLength !== byteLength) return undefined;
  let anchorName = '';
  let connectionName = '';
  let dataParts: Uint8Array[] = [];
  let endOfChunk = false;
  while (cursor.position < byteLength) {
    const tag = cursor.varint();
    if (tag === undefined) return undefined;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 2) {
      const length = cursor.varint();
      const views = length === undefined ? undefined : cursor.take(length);
      if (views === undefined) return undefined;
      if (field === 1 || field === 2) {
        const text = utf8Text(views);
        if (text === undefined) return undefined;
        if (field === 1) anchorName = text;
        else connectionName = text;
      } else if (field === 3) dataParts = views;
    } else if (wireType === 0) {
      const value = cursor.varint();
      if (value === undefined) return undefined;
      if (field === 4) endOfChunk = value !== 0;
    } else if (wireType === 1 || wireType === 5) {
      if (cursor.take(wireType === 1 ? 8 : 4) === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  if (cursor.position !== byteLength) return undefined;
  return new ReceivedRecordsPiece(anchorName, connectionName, dataParts, endOfChunk);
}

/** What a ChunkAssembler is fed for one received records piece: each data part, `endOfChunk` on the last. */
export function assemblerPiecesOf(records: {
  readonly data?: Uint8Array | null;
  readonly endOfChunk?: boolean | null;
}): Array<{ data: Uint8Array; endOfChunk: boolean }> {
  const endOfChunk = records.endOfChunk === true;
  const parts =
    records instanceof ReceivedRecordsPiece ? records.dataParts : [records.data ?? new Uint8Array(0)];
  if (parts.length === 0) return [{ data: new Uint8Array(0), endOfChunk }];
  return parts.map((data, index) => ({ data, endOfChunk: endOfChunk && index === parts.length - 1 }));
}
