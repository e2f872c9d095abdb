import { Field, type Message, MessageHeader, type Schema } from 'apache-arrow';
import type {
  DictionaryBatch as DictionaryBatchHeader,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';
import { ChunkerInvalidIpcError } from '../errors/chunker-invalid-ipc-error.js';
import type { ChunkerStreamLocation } from '../errors/chunker-stream-location.js';
import { ChunkerStreamTooLargeError } from '../errors/chunker-stream-too-large-error.js';
import { ChunkerTruncatedStreamError } from '../errors/chunker-truncated-stream-error.js';
import type { IpcChunk } from '../ipc-chunk.js';
import { findBatchHeaderProblem } from './check-message-header.js';
import { ChunkOutput } from './chunk-output.js';
import { checkHeaderType, decodeMessageMetadata } from './ipc-stream-walker.js';

/** Limits of {@link IpcStreamFramer}. */
export interface FramerLimits {
  readonly maxChunkBytes: number;
  readonly maxStreamBytes: number;
  readonly maxNestingDepth: number;
  readonly channel: string;
}

const CONTINUATION_MARKER = -1;
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

type State =
  | { readonly kind: 'prefix' }
  | { readonly kind: 'metadata'; readonly prefixBytes: number; readonly metadataBytes: number }
  | { readonly kind: 'body'; remaining: number; readonly capture: Uint8Array[] | undefined };

/**
 * Cuts Arrow IPC stream bytes that arrive in arbitrary pieces into chunks, checking the framing as it
 * goes but never decoding a body: each message's prefix and metadata (bounds-guarded flatbuffers,
 * nesting depth, message order, dictionary ids, the header rules of findBatchHeaderProblem, buffers
 * inside the body) are checked before the message is passed on, and bodies are passed through as views
 * of the input pieces. Input may hold several concatenated streams; each ends with its end-of-stream
 * marker and becomes its own chunked stream.
 *
 * A stream longer than `maxStreamBytes` is cut into several valid streams: each new one starts with a
 * copy of the schema message and of the dictionary messages in force (the last replacement and its
 * deltas, per id), so each decodes on its own to consecutive record batches. A single message that
 * cannot fit a stream even so is a ChunkerStreamTooLargeError (re-encode with smaller batches).
 * Memory: the pieces not yet passed on (at most one message's prefix and metadata), the schema and the
 * dictionaries in force, and the chunk being filled.
 */
export class IpcStreamFramer {
  private readonly limits: FramerLimits;
  private readonly output: ChunkOutput;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private state: State = { kind: 'prefix' };
  /** Input stream being read (1-based), offset in it, and messages read from it. */
  private streamNumber = 1;
  private streamOffset = 0;
  private messageIndex = 0;
  private schema: { readonly framed: Uint8Array; readonly header: Schema } | undefined;
  /** Per dictionary id: the framed messages (metadata, then body parts) in force, copied. */
  private dictionaries = new Map<number, Uint8Array[][]>();
  private dictionaryBytes = 0;
  /** Bytes of the output stream being written, or -1 when none is open. */
  private outputBytes = -1;

  constructor(limits: FramerLimits) {
    this.limits = limits;
    this.output = new ChunkOutput(limits.maxChunkBytes);
  }

  /** Takes the next piece of input; returns the chunks that became ready. */
  push(piece: Uint8Array): IpcChunk[] {
    const out: IpcChunk[] = [];
    if (piece.byteLength > 0) {
      this.pending.push(piece);
      this.pendingBytes += piece.byteLength;
    }
    while (this.step(out)) {
      // Each step consumes one part of a message while enough input is pending.
    }
    return out;
  }

  /**
   * Ends input.
   * @throws ChunkerTruncatedStreamError when it stops inside a message or a stream (no end-of-stream marker).
   */
  finish(): IpcChunk[] {
    const state = this.state;
    if (state.kind === 'metadata' && state.prefixBytes === 4 && this.messageIndex === 0) {
      // A first length without the continuation marker that overruns the input is far more likely
      // garbage than a truncated legacy (pre-0.15) stream.
      throw new ChunkerInvalidIpcError(
        this.at(0),
        'the bytes do not start with an Arrow IPC message (expected the continuation marker 0xFFFFFFFF)',
      );
    }
    if (state.kind !== 'prefix' || this.pendingBytes > 0) {
      throw new ChunkerTruncatedStreamError(
        this.at(this.streamOffset),
        `the input ends inside message #${this.messageIndex + 1}`,
      );
    }
    if (this.schema !== undefined) {
      throw new ChunkerTruncatedStreamError(
        this.at(this.streamOffset),
        `the input ends after ${this.messageIndex} message(s) without the end-of-stream marker`,
      );
    }
    return [];
  }

  private step(out: IpcChunk[]): boolean {
    const state = this.state;
    if (state.kind === 'prefix') return this.readPrefix(out);
    if (state.kind === 'metadata') return this.readMetadata(state.prefixBytes, state.metadataBytes, out);
    return this.readBody(state, out);
  }

  private readPrefix(out: IpcChunk[]): boolean {
    if (this.pendingBytes < 4) return false;
    const first = this.peekInt32(0);
    const hasContinuation = first === CONTINUATION_MARKER;
    if (hasContinuation && this.pendingBytes < 8) return false;
    const prefixBytes = hasContinuation ? 8 : 4;
    const metadataBytes = hasContinuation ? this.peekInt32(4) : first;
    if (metadataBytes === 0) {
      this.endInputStream(prefixBytes, out);
      return true;
    }
    const location = this.at(this.streamOffset);
    if (
      metadataBytes < 0 ||
      (!hasContinuation && this.messageIndex === 0 && metadataBytes > this.limits.maxStreamBytes)
    ) {
      throw new ChunkerInvalidIpcError(
        location,
        this.messageIndex === 0
          ? 'the bytes do not start with an Arrow IPC message (expected the continuation marker 0xFFFFFFFF)'
          : `message #${this.messageIndex + 1} has an invalid metadata length ${metadataBytes}`,
      );
    }
    // Checked on the declared size, before any of it is buffered.
    this.checkFits(prefixBytes + metadataBytes, location);
    this.state = { kind: 'metadata', prefixBytes, metadataBytes };
    return true;
  }

  private readMetadata(prefixBytes: number, metadataBytes: number, out: IpcChunk[]): boolean {
    const framedBytes = prefixBytes + metadataBytes;
    if (this.pendingBytes < framedBytes) return false;
    const location = this.at(this.streamOffset);
    const framed = this.take(framedBytes);
    const message = decodeMessageMetadata(
      framed.subarray(prefixBytes),
      this.messageIndex,
      this.limits.maxNestingDepth,
      location,
    );
    const headerType = message.headerType;
    // messageIndex is 0 exactly while no schema has been read: the first message must be the schema.
    checkHeaderType(headerType, this.messageIndex, location);
    const bodyBytes = message.bodyLength;
    const messageBytes = framedBytes + bodyBytes;
    this.checkFits(messageBytes, location);
    let capture: Uint8Array[] | undefined;
    if (headerType === MessageHeader.Schema) {
      this.schema = { framed, header: decodeSchema(message, this.messageIndex, location) };
      this.openOutputStream(out);
    } else {
      const dictionary = this.checkBatchMessage(message, location);
      if (this.outputBytes + messageBytes + END_OF_STREAM.byteLength > this.limits.maxStreamBytes) {
        this.closeOutputStream(out);
        this.openOutputStream(out);
      }
      this.emit(framed, out);
      if (dictionary !== undefined) capture = this.keepDictionary(dictionary, framed, bodyBytes);
    }
    this.streamOffset += framedBytes;
    this.state = { kind: 'body', remaining: bodyBytes, capture };
    return true;
  }

  private readBody(state: State & { kind: 'body' }, out: IpcChunk[]): boolean {
    if (state.remaining === 0) {
      this.state = { kind: 'prefix' };
      this.messageIndex += 1;
      return true;
    }
    if (this.pendingBytes === 0) return false;
    const piece = this.pending[0]!;
    const take = Math.min(state.remaining, piece.byteLength);
    const part = piece.subarray(0, take);
    this.consumeFront(take);
    state.remaining -= take;
    this.streamOffset += take;
    // A schema message has no body in practice; if it declares one, it passes through with it.
    this.emit(part, out);
    state.capture?.push(part.slice());
    return true;
  }

  /**
   * Checks a record batch or dictionary batch header without its body. Returns a dictionary batch's
   * header, or undefined for a record batch.
   */
  private checkBatchMessage(
    message: Message,
    location: ChunkerStreamLocation,
  ): DictionaryBatchHeader | undefined {
    const schema = this.schema!.header;
    const hasDictionary = (id: number): boolean => this.dictionaries.has(id);
    const bodyBytes = message.bodyLength;
    let header: RecordBatchHeader;
    let problem: string | undefined;
    let dictionary: DictionaryBatchHeader | undefined;
    try {
      if (message.isDictionaryBatch()) {
        dictionary = message.header() as DictionaryBatchHeader;
        const type = schema.dictionaries.get(dictionary.id);
        if (type === undefined) {
          throw new ChunkerInvalidIpcError(
            location,
            `a dictionary batch has id ${dictionary.id}, which no field of the schema uses`,
          );
        }
        if (dictionary.isDelta && !this.dictionaries.has(dictionary.id)) {
          throw new ChunkerInvalidIpcError(
            location,
            `a delta dictionary batch for id ${dictionary.id} comes before any dictionary with that id`,
          );
        }
        header = dictionary.data;
        problem = findBatchHeaderProblem(
          header,
          [new Field(`dictionary ${dictionary.id}`, type)],
          hasDictionary,
        );
      } else {
        header = message.header() as RecordBatchHeader;
        problem = findBatchHeaderProblem(header, schema.fields, hasDictionary);
      }
    } catch (cause) {
      if (ChunkerInvalidIpcError.isInstance(cause)) throw cause;
      throw new ChunkerInvalidIpcError(
        location,
        `message #${this.messageIndex + 1} has an unreadable header`,
        {
          cause,
        },
      );
    }
    if (problem === undefined) {
      for (const region of header.buffers) {
        if (
          !Number.isSafeInteger(region.offset) ||
          !Number.isSafeInteger(region.length) ||
          region.offset < 0 ||
          region.length < 0 ||
          region.offset + region.length > bodyBytes
        ) {
          problem = `a buffer at bytes ${region.offset}..${region.offset + region.length} lies outside the ${bodyBytes}-byte body`;
          break;
        }
      }
    }
    if (problem !== undefined) {
      throw new ChunkerInvalidIpcError(location, `message #${this.messageIndex + 1}: ${problem}`);
    }
    return dictionary;
  }

  /**
   * Keeps a copy of a dictionary message for the streams started later: a replacement drops the
   * messages of its id, a delta joins them. Returns the array its body parts are collected into.
   */
  private keepDictionary(
    dictionary: DictionaryBatchHeader,
    framed: Uint8Array,
    bodyBytes: number,
  ): Uint8Array[] {
    const messageParts: Uint8Array[] = [framed];
    const kept = dictionary.isDelta ? this.dictionaries.get(dictionary.id)! : [];
    if (!dictionary.isDelta) {
      for (const old of this.dictionaries.get(dictionary.id) ?? []) this.dictionaryBytes -= partsBytes(old);
    }
    kept.push(messageParts);
    this.dictionaries.set(dictionary.id, kept);
    this.dictionaryBytes += framed.byteLength + bodyBytes;
    return messageParts;
  }

  /** A message of `messageBytes` must fit a stream holding the schema and the dictionaries in force. */
  private checkFits(messageBytes: number, location: ChunkerStreamLocation): void {
    const base = (this.schema?.framed.byteLength ?? 0) + this.dictionaryBytes;
    const needed = base + messageBytes + END_OF_STREAM.byteLength;
    if (needed > this.limits.maxStreamBytes) {
      throw new ChunkerStreamTooLargeError(
        location,
        `message #${this.messageIndex + 1} needs a stream of ${needed} bytes (with the schema and the dictionaries in force), more than maxStreamBytes (${this.limits.maxStreamBytes}); re-encode with smaller batches, or raise maxStreamBytes on both sides`,
      );
    }
  }

  private openOutputStream(out: IpcChunk[]): void {
    this.outputBytes = 0;
    this.emit(this.schema!.framed, out);
    for (const messages of this.dictionaries.values()) {
      for (const parts of messages) for (const part of parts) this.emit(part, out);
    }
  }

  private closeOutputStream(out: IpcChunk[]): void {
    this.emit(END_OF_STREAM, out);
    this.output.endStream(out);
    this.outputBytes = -1;
  }

  private endInputStream(prefixBytes: number, out: IpcChunk[]): void {
    if (this.schema === undefined) {
      throw new ChunkerInvalidIpcError(
        this.at(this.streamOffset),
        'the stream ends before its schema message',
      );
    }
    this.consumeFront(prefixBytes);
    this.closeOutputStream(out);
    this.streamNumber += 1;
    this.streamOffset = 0;
    this.messageIndex = 0;
    this.schema = undefined;
    this.dictionaries = new Map();
    this.dictionaryBytes = 0;
  }

  private emit(bytes: Uint8Array, out: IpcChunk[]): void {
    this.output.add(bytes, out);
    this.outputBytes += bytes.byteLength;
  }

  private at(byteOffset: number): ChunkerStreamLocation {
    return { channel: this.limits.channel, streamNumber: this.streamNumber, byteOffset };
  }

  private peekInt32(offset: number): number {
    const bytes = this.peek(offset + 4).subarray(offset, offset + 4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
  }

  /** The first `byteLength` pending bytes (a view when they lie in one piece), without consuming them. */
  private peek(byteLength: number): Uint8Array {
    const first = this.pending[0]!;
    if (first.byteLength >= byteLength) return first.subarray(0, byteLength);
    const joined = new Uint8Array(byteLength);
    let filled = 0;
    for (const piece of this.pending) {
      const part = piece.subarray(0, Math.min(piece.byteLength, byteLength - filled));
      joined.set(part, filled);
      filled += part.byteLength;
      if (filled === byteLength) break;
    }
    return joined;
  }

  /** Consumes and returns a copy of the first `byteLength` pending bytes (they are all received). */
  private take(byteLength: number): Uint8Array {
    const bytes = this.peek(byteLength).slice();
    this.consumeFront(byteLength);
    return bytes;
  }

  private consumeFront(byteLength: number): void {
    let left = byteLength;
    while (left > 0) {
      const first = this.pending[0]!;
      if (first.byteLength <= left) {
        this.pending.shift();
        left -= first.byteLength;
      } else {
        this.pending[0] = first.subarray(left);
        left = 0;
      }
    }
    this.pendingBytes -= byteLength;
  }
}

/** The schema of a schema message; Arrow's decoder throws plain errors for unknown types and the like. */
function decodeSchema(message: Message, messageIndex: number, location: ChunkerStreamLocation): Schema {
  try {
    return message.header() as Schema;
  } catch (cause) {
    throw new ChunkerInvalidIpcError(location, `message #${messageIndex + 1} has an unreadable schema`, {
      cause,
    });
  }
}

function partsBytes(parts: readonly Uint8Array[]): number {
  return parts.reduce((sum, part) => sum + part.byteLength, 0);
}
