import type { Table } from 'apache-arrow';
import { ChunkerClosedError } from './errors/chunker-closed-error.js';
import { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
import { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
import { ChunkerUnterminatedStreamError } from './errors/chunker-unterminated-stream-error.js';
import { allocateUninitialisedBytes } from './internal/allocate-bytes.js';
import { decodeIpcStream } from './internal/decode-ipc-stream.js';
import { positiveIntegerOption } from './internal/validate-options.js';
import { DEFAULT_MAX_STREAM_BYTES, type IpcChunk } from './ipc-chunk.js';

/** Options of {@link ChunkAssembler} and {@link assembleChunks}. */
export interface AssemblerOptions {
  /** Largest reassembled stream accepted, in bytes. Defaults to 268_435_456 (256 MiB). Minimum 1. */
  maxStreamBytes?: number;
  /** Name used in error messages, e.g. "anchor 'Input' connection '#1'". Defaults to `'unnamed'`. */
  channel?: string;
}

const ALIGNMENT_BYTES = 8;

/**
 * Reassembles the chunks of one logical channel into Tables, one per complete stream. Feed chunks in
 * order; use one assembler per interleaved channel.
 *
 * Copies: a stream whose chunks are adjacent views of one buffer (including a single chunk) is decoded
 * in place when it starts 8-byte aligned; otherwise its bytes are copied exactly once into a fresh,
 * aligned buffer at `endOfChunk`. Chunk data are referenced, not copied, until then, so do not reuse
 * a chunk's buffer before its stream completes. Decoded vectors may be views of the received buffers.
 */
export class ChunkAssembler {
  private readonly maxStreamBytes: number;
  private readonly channel: string;
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
    const bytes = this.takeStreamBytes();
    const streamNumber = this.streamNumber;
    this.streamNumber += 1;
    return decodeIpcStream(bytes, this.channel, streamNumber);
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

  /** Returns the buffered stream as one aligned buffer, copying only when it must. */
  private takeStreamBytes(): Uint8Array {
    const pieces = this.pieces;
    const total = this.bufferedBytes;
    this.pieces = [];
    this.bufferedBytes = 0;
    const contiguous = joinAdjacentViews(pieces, total);
    if (contiguous !== undefined && contiguous.byteOffset % ALIGNMENT_BYTES === 0) return contiguous;
    // A fresh allocation starts at offset 0 of its own buffer, which is aligned.
    const joined = allocateUninitialisedBytes(total);
    let offset = 0;
    for (const piece of pieces) {
      joined.set(piece, offset);
      offset += piece.byteLength;
    }
    return joined;
  }
}

/** One view over `pieces` when they are back-to-back views of the same buffer, else undefined. */
function joinAdjacentViews(pieces: Uint8Array[], total: number): Uint8Array | undefined {
  const first = pieces[0];
  if (first === undefined) return new Uint8Array(0);
  let expectedOffset = first.byteOffset + first.byteLength;
  for (let index = 1; index < pieces.length; index += 1) {
    const piece = pieces[index]!;
    if (piece.buffer !== first.buffer || piece.byteOffset !== expectedOffset) return undefined;
    expectedOffset += piece.byteLength;
  }
  return pieces.length === 1 ? first : new Uint8Array(first.buffer, first.byteOffset, total);
}
