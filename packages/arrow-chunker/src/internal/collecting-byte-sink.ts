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
  }

  /**
   * Hands out everything written since the last call, cut into pieces of `maxChunkBytes` (the last one
   * may be shorter). Arrow writes column buffers as views of the batch's own memory, so a piece that
   * lies within one written buffer is handed out as a view of it; only a piece that spans written
   * buffers is copied, into an allocation of its own size. Joining the whole stream first would copy
   * every byte once more and allocate a buffer as large as the stream.
   */
  takePieces(maxChunkBytes: number): Uint8Array[] {
    const written = this.pieces;
    let remaining = this.collectedBytes;
    this.pieces = [];
    this.collectedBytes = 0;
    const pieces: Uint8Array[] = [];
    let index = 0;
    let offset = 0;
    while (remaining > 0) {
      const size = Math.min(maxChunkBytes, remaining);
      remaining -= size;
      const current = written[index]!;
      if (current.byteLength - offset >= size) {
        pieces.push(current.subarray(offset, offset + size));
        offset += size;
        if (offset === current.byteLength) {
          index += 1;
          offset = 0;
        }
        continue;
      }
      const piece = allocateUninitialisedBytes(size);
      let filled = 0;
      while (filled < size) {
        const source = written[index]!;
        const take = Math.min(size - filled, source.byteLength - offset);
        piece.set(source.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (offset === source.byteLength) {
          index += 1;
          offset = 0;
        }
      }
      pieces.push(piece);
    }
    return pieces;
  }
}
