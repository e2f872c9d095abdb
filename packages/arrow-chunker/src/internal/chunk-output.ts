import type { IpcChunk } from '../ipc-chunk.js';
import { allocateUninitialisedBytes } from './allocate-bytes.js';

/**
 * Cuts a sequence of byte parts into chunks of exactly `maxChunkBytes` (the last chunk of a stream may
 * be shorter). A chunk made of one part is a view of it; a chunk made of several parts is copied into
 * its own allocation. So a large part (a message body) becomes views of itself, and small parts
 * (message prefixes and metadata) are packed together.
 */
export class ChunkOutput {
  private parts: Uint8Array[] = [];
  private partBytes = 0;

  constructor(private readonly maxChunkBytes: number) {}

  /** Appends `bytes` to the current stream; full chunks go to `out`. */
  add(bytes: Uint8Array, out: IpcChunk[]): void {
    let offset = 0;
    while (offset < bytes.byteLength) {
      // A full chunk goes out only once more bytes follow, so endStream always has bytes to end with.
      if (this.partBytes === this.maxChunkBytes) this.flush(out, false);
      const take = Math.min(this.maxChunkBytes - this.partBytes, bytes.byteLength - offset);
      this.parts.push(bytes.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
    }
  }

  /** Ends the current stream: its remaining bytes go to `out`, the last chunk with `endOfChunk`. */
  endStream(out: IpcChunk[]): void {
    this.flush(out, true);
  }

  private flush(out: IpcChunk[], endOfChunk: boolean): void {
    // The end-of-stream marker is always added before endStream, so there is always something to flush.
    const parts = this.parts;
    const size = this.partBytes;
    this.parts = [];
    this.partBytes = 0;
    if (parts.length === 1) {
      out.push({ data: parts[0]!, endOfChunk });
      return;
    }
    const data = allocateUninitialisedBytes(size);
    let filled = 0;
    for (const part of parts) {
      data.set(part, filled);
      filled += part.byteLength;
    }
    out.push({ data, endOfChunk });
  }
}
