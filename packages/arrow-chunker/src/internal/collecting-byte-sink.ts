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

  /** Bytes written since the last {@link takeAll}. */
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
   * Returns everything written since the last call as one contiguous buffer. This join is the one
   * copy serialisation needs (column buffers become one stream); chunks are then views of it.
   */
  takeAll(): Uint8Array {
    const pieces = this.pieces;
    const total = this.collectedBytes;
    this.pieces = [];
    this.collectedBytes = 0;
    if (pieces.length === 1) return pieces[0]!;
    const joined = allocateUninitialisedBytes(total);
    let offset = 0;
    for (const piece of pieces) {
      joined.set(piece, offset);
      offset += piece.byteLength;
    }
    return joined;
  }
}
