import { AsyncByteQueue } from 'apache-arrow';
import { allocateUninitialisedBytes } from './allocate-bytes.js';

/**
 * Sink for Arrow's stream writer that lets the encoder take the bytes written so far. Arrow's own
 * queue keeps every written piece until the writer is closed (its synchronous `toUint8Array` does
 * not drain), which would hold a whole multi-gigabyte stream in memory.
 */
export class CollectingByteSink extends AsyncByteQueue {
  private pieces: Uint8Array[] = [];
  private collectedBytes = 0;
  private writtenBytes = 0;

  /** Bytes written since the sink was created (never reset). */
  get totalBytes(): number {
    return this.writtenBytes;
  }

  /** Bytes written since the last {@link takePieces}. */
  get byteLength(): number {
    return this.collectedBytes;
  }

  override write(value: Uint8Array | ArrayBufferView | ArrayBuffer): void {
    const bytes =
      value instanceof Uint8Array
        ? value
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : new Uint8Array(value as ArrayBuffer);
    if (bytes.byteLength === 0) return;
    this.pieces.push(bytes);
    this.collectedBytes += bytes.byteLength;
    this.writtenBytes += bytes.byteLength;
  }

  /**
   * Hands out everything written since the last call, cut into pieces of at most `maxChunkBytes`.
   * Arrow writes column buffers as views of the batch's own memory. A written buffer of at least half
   * a piece gets piece boundaries of its own, so all of its pieces are views of it, back to back: no
   * copy here, and a receiver in the same process can decode the whole buffer as one view (the
   * chunks of one buffer are adjacent views). Smaller writes (message headers, padding, small columns)
   * are packed into full pieces, each copied into an allocation of its own size unless it lies within
   * one written buffer. Joining the whole stream first would copy every byte once more and allocate a
   * buffer as large as the stream.
   */
  takePieces(maxChunkBytes: number): Uint8Array[] {
    const written = this.pieces;
    this.pieces = [];
    this.collectedBytes = 0;
    const ownPiecesFrom = Math.ceil(maxChunkBytes / 2);
    const pieces: Uint8Array[] = [];
    const packing = new PiecePacker(maxChunkBytes, pieces);
    for (const bytes of written) {
      if (bytes.byteLength < ownPiecesFrom) {
        packing.add(bytes);
        continue;
      }
      packing.flush();
      for (let offset = 0; offset < bytes.byteLength; offset += maxChunkBytes) {
        pieces.push(bytes.subarray(offset, Math.min(offset + maxChunkBytes, bytes.byteLength)));
      }
    }
    packing.flush();
    return pieces;
  }
}

/** Packs small writes into pieces of exactly `maxChunkBytes` (the last one before a flush may be shorter). */
class PiecePacker {
  private parts: Uint8Array[] = [];
  private partBytes = 0;

  constructor(
    private readonly maxChunkBytes: number,
    private readonly output: Uint8Array[],
  ) {}

  add(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.byteLength) {
      const take = Math.min(this.maxChunkBytes - this.partBytes, bytes.byteLength - offset);
      this.parts.push(bytes.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
      if (this.partBytes === this.maxChunkBytes) this.flush();
    }
  }

  /** Emits the pending parts as one piece: the part itself when there is one, else a copy of them. */
  flush(): void {
    if (this.partBytes === 0) return;
    const parts = this.parts;
    const size = this.partBytes;
    this.parts = [];
    this.partBytes = 0;
    if (parts.length === 1) {
      this.output.push(parts[0]!);
      return;
    }
    const piece = allocateUninitialisedBytes(size);
    let filled = 0;
    for (const part of parts) {
      piece.set(part, filled);
      filled += part.byteLength;
    }
    this.output.push(piece);
  }
}
