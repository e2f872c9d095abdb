import type { Table } from 'apache-arrow';
import { ChunkerClosedError } from './errors/chunker-closed-error.js';
import { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
import { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
import { ChunkerUnterminatedStreamError } from './errors/chunker-unterminated-stream-error.js';
import { decodeIpcStream } from './internal/decode-ipc-stream.js';
import { StreamPieces } from './internal/stream-pieces.js';
import { positiveIntegerOption } from './internal/validate-options.js';
import {
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_MAX_STREAM_BYTES,
  type IpcChunk,
  MAX_NESTING_DEPTH_LIMIT,
} from './ipc-chunk.js';

/** Options of {@link ChunkAssembler} and {@link assembleChunks}. */
export interface AssemblerOptions {
  /** Largest reassembled stream accepted, in bytes. Defaults to 268_435_456 (256 MiB). Minimum 1. */
  maxStreamBytes?: number;
  /** Name used in error messages, e.g. "anchor 'Input' connection '#1'". Defaults to `'unnamed'`. */
  channel?: string;
  /**
   * Deepest type nesting accepted in a received schema, in levels: a top-level column of a flat type
   * is 1, and each List, Struct, Map or Union level adds one (so `List<Struct<{a: Int32}>>` is 3).
   * A deeper schema is refused with ChunkerInvalidIpcError before it is decoded. Defaults to 64
   * ({@link DEFAULT_MAX_NESTING_DEPTH}, as Arrow C++ readers); from 1 to 1000.
   */
  maxNestingDepth?: number;
}

/**
 * Reassembles the chunks of one logical channel into Tables, one per complete stream. Feed chunks in
 * order; use one assembler per interleaved channel.
 *
 * Copies: chunks are referenced, not copied, until `endOfChunk`. The stream is then decoded message by
 * message straight from the chunks, never joined: each column buffer that lies within one chunk (or
 * within chunks that are back-to-back views of one buffer, as `encodeChunks` hands out in-process) and
 * starts 8-byte aligned is used in place; any other column buffer (split across separate chunks, or at
 * an odd offset) is copied once, on its own, into aligned memory. So a stream that arrives in one chunk
 * is decoded without concatenation, and no byte is copied more than once.
 *
 * Ownership: the decoded Tables' vectors may be views of the `data` you pushed, and keep those buffers
 * alive while you hold the Tables. Do not modify or reuse a chunk's buffer after pushing it, for as
 * long as you use the Tables decoded from its stream (copy chunks first if your carrier recycles its
 * buffers). Buffers that were copied hold no reference to the chunks.
 */
export class ChunkAssembler {
  private readonly maxStreamBytes: number;
  private readonly channel: string;
  private readonly maxNestingDepth: number;
  private pieces: Uint8Array[] = [];
  private bufferedBytes = 0;
  private streamNumber = 1;
  private discardingOversizeStream = false;
  private closed = false;

  constructor(options: AssemblerOptions = {}) {
    this.maxStreamBytes = positiveIntegerOption(
      'maxStreamBytes',
      options.maxStreamBytes,
      DEFAULT_MAX_STREAM_BYTES,
    );
    this.channel = options.channel ?? 'unnamed';
    this.maxNestingDepth = positiveIntegerOption(
      'maxNestingDepth',
      options.maxNestingDepth,
      DEFAULT_MAX_NESTING_DEPTH,
      1,
      MAX_NESTING_DEPTH_LIMIT,
    );
  }

  /** Bytes buffered for the stream in progress (0 between streams). */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /**
   * Adds the next chunk. Returns the decoded Table when `chunk` completes a stream (`endOfChunk`),
   * otherwise undefined.
   *
   * @throws ChunkerClosedError after {@link close}; ChunkerStreamTooLargeError when the stream passes
   * `maxStreamBytes` (the rest of that stream is then skipped up to its `endOfChunk`);
   * ChunkerInvalidIpcError / ChunkerTruncatedStreamError when a completed stream is not a valid,
   * whole IPC stream. After a throw the assembler is ready for the next stream.
   */
  push(chunk: IpcChunk): Table | undefined {
    if (this.closed) {
      throw new ChunkerClosedError(this.describeTarget(), 'received a chunk after close()');
    }
    const data = this.checkChunk(chunk);
    if (this.discardingOversizeStream) {
      if (chunk.endOfChunk) {
        this.discardingOversizeStream = false;
        this.streamNumber += 1;
      }
      return undefined;
    }
    if (this.bufferedBytes + data.byteLength > this.maxStreamBytes) {
      const error = new ChunkerStreamTooLargeError(
        { channel: this.channel, streamNumber: this.streamNumber, byteOffset: this.bufferedBytes },
        `the stream exceeds maxStreamBytes (${this.maxStreamBytes}): ${this.bufferedBytes} bytes buffered, the next chunk brings ${data.byteLength}`,
      );
      this.pieces = [];
      this.bufferedBytes = 0;
      if (chunk.endOfChunk) this.streamNumber += 1;
      else this.discardingOversizeStream = true;
      throw error;
    }
    if (data.byteLength > 0) {
      this.pieces.push(data);
      this.bufferedBytes += data.byteLength;
    }
    if (!chunk.endOfChunk) return undefined;
    const pieces = this.takeStreamPieces();
    const streamNumber = this.streamNumber;
    this.streamNumber += 1;
    return decodeIpcStream(pieces, this.channel, streamNumber, this.maxNestingDepth);
  }

  /**
   * Ends input. Later pushes throw ChunkerClosedError. Calling it again is a no-op.
   *
   * @throws ChunkerUnterminatedStreamError when a stream is incomplete (its buffered bytes are dropped).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.bufferedBytes > 0 || this.discardingOversizeStream) {
      const byteOffset = this.bufferedBytes;
      this.pieces = [];
      this.bufferedBytes = 0;
      throw new ChunkerUnterminatedStreamError(
        { channel: this.channel, streamNumber: this.streamNumber, byteOffset },
        `input ended after ${byteOffset} byte(s) of an incomplete stream (no chunk with endOfChunk)`,
      );
    }
  }

  private checkChunk(chunk: IpcChunk): Uint8Array {
    const data = (chunk as Partial<IpcChunk> | null | undefined)?.data;
    if (!(data instanceof Uint8Array) || typeof chunk.endOfChunk !== 'boolean') {
      throw new ChunkerInvalidIpcError(
        { channel: this.channel, streamNumber: this.streamNumber, byteOffset: this.bufferedBytes },
        'a chunk must be { data: Uint8Array, endOfChunk: boolean }',
      );
    }
    return data;
  }

  private describeTarget(): string {
    return `assembler on channel '${this.channel}'`;
  }

  /** Hands the buffered pieces over for decoding and resets for the next stream. */
  private takeStreamPieces(): StreamPieces {
    const pieces = new StreamPieces(this.pieces);
    this.pieces = [];
    this.bufferedBytes = 0;
    return pieces;
  }
}
