/**
 * gRPC's length-prefixed message framing on an HTTP/2 stream (PROTOCOL-HTTP2: one byte "compressed"
 * flag, a four-byte big-endian length, then the message). Messages span DATA chunks and chunks hold
 * several messages, so reading keeps whatever part of a message has arrived.
 */

/** Bytes of the prefix in front of every message. */
export const messagePrefixBytes = 5;

/** Largest length a prefix can state (2^32 - 1). */
const largestPrefixLength = 0xffff_ffff;

/** Why a received byte sequence is not a valid gRPC message stream. */
export class GrpcFramingError extends Error {
  constructor(
    /** `'too-large'`: a prefix states more than the reader's limit; `'compressed'`: the flag is set. */
    readonly reason: 'too-large' | 'compressed' | 'truncated',
    message: string,
    /** For `'too-large'`: the size the prefix stated and the limit it exceeded, in bytes. */
    readonly sizes?: { readonly messageBytes: number; readonly limitBytes: number },
  ) {
    super(message);
    this.name = 'GrpcFramingError';
  }
}

/** Messages up to this size are joined with their prefix into one buffer. Bytes. */
const joinedMessageBytes = 16 * 1024;
/** A first part up to this size joins the prefix even when the message is large (a records header). */
const joinedHeadBytes = 256;

/**
 * The buffers to write for one message given as parts (their concatenation is the message): a small
 * message becomes one buffer with its prefix; a large one (a ~1 MB records piece) is written as its
 * parts, the prefix joined to a small first part, so framing never copies the data.
 */
export function framedMessage(parts: readonly Uint8Array[]): Uint8Array[] {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  if (length > largestPrefixLength) {
    throw new RangeError(`a gRPC message holds at most ${largestPrefixLength} bytes, this one ${length}`);
  }
  const first = parts[0];
  const joinAll = length <= joinedMessageBytes;
  const joinFirst = joinAll || (first !== undefined && first.byteLength <= joinedHeadBytes);
  const joined = joinAll ? length : joinFirst && first !== undefined ? first.byteLength : 0;
  const head = Buffer.allocUnsafe(messagePrefixBytes + joined);
  head[0] = 0;
  head.writeUInt32BE(length, 1);
  let offset = messagePrefixBytes;
  const framed: Uint8Array[] = [head];
  parts.forEach((part, index) => {
    if (joinAll || (joinFirst && index === 0)) {
      head.set(part, offset);
      offset += part.byteLength;
    } else if (part.byteLength > 0) {
      framed.push(part);
    }
  });
  return framed;
}

/** Options of {@link GrpcMessageReader}. */
export interface GrpcMessageReaderOptions {
  /** Largest message accepted; a prefix stating more fails at once, before buffering. Bytes. */
  readonly maxMessageBytes: number;
}

/**
 * One received message: its bytes as views of the DATA chunks it arrived in, in order (one part when it
 * lay within one chunk). Nothing is copied; a decoder that needs one buffer uses {@link joinedBytes}.
 */
export interface ReceivedMessage {
  readonly parts: readonly Uint8Array[];
  readonly byteLength: number;
}

/** A received message's bytes as one buffer: the part itself when there is one, else one copy. */
export function joinedBytes(message: ReceivedMessage): Uint8Array {
  if (message.parts.length === 1) return message.parts[0] as Uint8Array;
  const joined = Buffer.allocUnsafeSlow(message.byteLength);
  let offset = 0;
  for (const part of message.parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/**
 * Cuts the DATA chunks of one HTTP/2 stream into messages, as views of the chunks: a ~1 MB records
 * message arrives in many 64 KiB frames, and joining them would copy every byte once more before the
 * Arrow assembler copies the columns that span pieces anyway.
 */
export class GrpcMessageReader {
  private readonly maxMessageBytes: number;
  private readonly prefix = Buffer.alloc(messagePrefixBytes);
  private prefixFilled = 0;
  private parts: Uint8Array[] | undefined;
  private remaining = 0;
  private length = 0;

  constructor(options: GrpcMessageReaderOptions) {
    this.maxMessageBytes = options.maxMessageBytes;
  }

  /** Whether part of a message has arrived and the rest has not (an end of stream here truncates it). */
  get hasPartialMessage(): boolean {
    return this.prefixFilled > 0 || this.parts !== undefined;
  }

  /** Reads one chunk; returns the messages it completes, in order. Throws {@link GrpcFramingError}. */
  push(chunk: Uint8Array): ReceivedMessage[] {
    const messages: ReceivedMessage[] = [];
    let offset = 0;
    while (offset < chunk.byteLength) {
      if (this.parts !== undefined) {
        const take = Math.min(this.remaining, chunk.byteLength - offset);
        this.parts.push(chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) {
          messages.push({ parts: this.parts, byteLength: this.length });
          this.parts = undefined;
        }
        continue;
      }
      if (this.prefixFilled === 0 && chunk.byteLength - offset >= messagePrefixBytes) {
        const length = this.readPrefix(chunk, offset);
        offset += messagePrefixBytes;
        if (chunk.byteLength - offset >= length) {
          messages.push({ parts: [chunk.subarray(offset, offset + length)], byteLength: length });
          offset += length;
        } else {
          this.startMessage(length);
        }
        continue;
      }
      const take = Math.min(messagePrefixBytes - this.prefixFilled, chunk.byteLength - offset);
      this.prefix.set(chunk.subarray(offset, offset + take), this.prefixFilled);
      this.prefixFilled += take;
      offset += take;
      if (this.prefixFilled === messagePrefixBytes) {
        this.prefixFilled = 0;
        const length = this.readPrefix(this.prefix, 0);
        if (length === 0) messages.push({ parts: [new Uint8Array(0)], byteLength: 0 });
        else this.startMessage(length);
      }
    }
    return messages;
  }

  /** Call at the end of the stream: throws when it cut a message short. */
  finish(): void {
    if (this.hasPartialMessage) {
      throw new GrpcFramingError('truncated', 'the stream ended in the middle of a gRPC message');
    }
  }

  private readPrefix(bytes: Uint8Array, offset: number): number {
    const flag = bytes[offset];
    if (flag !== 0) {
      throw new GrpcFramingError(
        'compressed',
        flag === 1
          ? 'received a compressed gRPC message, but no compression was negotiated'
          : `invalid gRPC message flag ${flag}`,
      );
    }
    const length =
      ((bytes[offset + 1] as number) * 2 ** 24 +
        ((bytes[offset + 2] as number) << 16) +
        ((bytes[offset + 3] as number) << 8) +
        (bytes[offset + 4] as number)) >>>
      0;
    if (length > this.maxMessageBytes) {
      throw new GrpcFramingError(
        'too-large',
        `a gRPC message of ${length} bytes exceeds the limit of ${this.maxMessageBytes} bytes`,
        { messageBytes: length, limitBytes: this.maxMessageBytes },
      );
    }
    return length;
  }

  private startMessage(length: number): void {
    this.parts = [];
    this.remaining = length;
    this.length = length;
  }
}
