import type { StreamPieces } from './stream-pieces.js';

/**
 * Reads the buffers of one message body from the received pieces: views where the bytes allow it,
 * copies of single buffers otherwise. Copies are budgeted to the body's size: metadata may point many
 * buffers at the same bytes, and copying each of them would let a small hostile stream allocate many
 * times its size. Past the budget, the body is joined once and every further buffer is a view of it.
 */
export class MessageBodyReader {
  readonly bodyBytes: number;
  private readonly pieces: StreamPieces;
  private readonly bodyOffset: number;
  private copiedBytes = 0;
  private joinedBody: Uint8Array | undefined;
  /** Copies by `offset:length`, so that loading a batch again reuses them instead of copying again. */
  private readonly copies = new Map<string, Uint8Array>();

  constructor(pieces: StreamPieces, bodyOffset: number, bodyBytes: number) {
    this.pieces = pieces;
    this.bodyOffset = bodyOffset;
    this.bodyBytes = bodyBytes;
  }

  /**
   * The `length` bytes at `offset` in the body (the caller checks the range), 8-byte aligned unless the
   * body had to be joined and the offset itself is unaligned. With `trimPadding`, may return a view
   * that lacks the buffer's trailing zero padding (see StreamPieces.readWithoutPadding).
   */
  read(offset: number, length: number, trimPadding: boolean): Uint8Array {
    if (this.joinedBody !== undefined) return this.joinedBody.subarray(offset, offset + length);
    const start = this.bodyOffset + offset;
    const view = this.pieces.view(start, length, true);
    if (view !== undefined) return view;
    if (trimPadding) {
      const trimmed = this.pieces.readWithoutPadding(start, length);
      if (trimmed !== undefined) return trimmed;
    }
    const key = `${offset}:${length}`;
    const copied = this.copies.get(key);
    if (copied !== undefined) return copied;
    // The buffers of a valid body do not overlap, so their copies never pass the body's size.
    if (this.copiedBytes + length > this.bodyBytes) {
      this.joinedBody = this.pieces.read(this.bodyOffset, this.bodyBytes, true);
      this.copies.clear();
      return this.joinedBody.subarray(offset, offset + length);
    }
    this.copiedBytes += length;
    const copy = this.pieces.copy(start, length);
    this.copies.set(key, copy);
    return copy;
  }
}
