import { allocateUninitialisedBytes } from './allocate-bytes.js';

/** Arrow's typed arrays need their start aligned to their element size; 8 covers every Arrow buffer. */
const ALIGNMENT_BYTES = 8;

/**
 * The chunk data of one complete stream, addressed by offset in the stream, without joining them.
 * Reading a range gives a view of the received bytes when the range lies inside one piece, or inside
 * back-to-back views of one buffer (chunks cut from one larger buffer); only a range that spans
 * separate buffers is copied, into an allocation of the range's own size. So decoding copies each byte
 * at most once, and usually only the bytes of column buffers that were split across separate chunks.
 */
export class StreamPieces {
  readonly byteLength: number;
  private readonly pieces: readonly Uint8Array[];
  /** Stream offset of each piece's first byte, ascending; one extra entry holds `byteLength`. */
  private readonly starts: Float64Array;

  constructor(pieces: readonly Uint8Array[]) {
    this.pieces = pieces.filter((piece) => piece.byteLength > 0);
    this.starts = new Float64Array(this.pieces.length + 1);
    let total = 0;
    for (let index = 0; index < this.pieces.length; index += 1) {
      this.starts[index] = total;
      total += this.pieces[index]!.byteLength;
    }
    this.starts[this.pieces.length] = total;
    this.byteLength = total;
  }

  /** The 4-byte little-endian signed integer at `offset` (the caller checks that it is in range). */
  readInt32(offset: number): number {
    const bytes = this.read(offset, 4, false);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
  }

  /**
   * `byteLength` bytes at `offset` (the caller checks the range): a view of the received bytes where
   * they are contiguous (and, with `aligned`, start at a multiple of 8 bytes), else a fresh copy.
   */
  read(offset: number, byteLength: number, aligned: boolean): Uint8Array {
    return this.view(offset, byteLength, aligned) ?? this.copy(offset, byteLength);
  }

  /** Like {@link read}, but undefined where `read` would copy. */
  view(offset: number, byteLength: number, aligned: boolean): Uint8Array | undefined {
    if (byteLength === 0) return new Uint8Array(0);
    const firstIndex = this.pieceIndexAt(offset);
    const first = this.pieces[firstIndex]!;
    const viewOffset = first.byteOffset + (offset - this.starts[firstIndex]!);
    if (aligned && viewOffset % ALIGNMENT_BYTES !== 0) return undefined;
    if (this.contiguousEnd(firstIndex, offset + byteLength) !== offset + byteLength) return undefined;
    return new Uint8Array(first.buffer, viewOffset, byteLength);
  }

  /** A copy of `byteLength` bytes at `offset`, in a fresh (so 8-byte aligned) allocation of that size. */
  copy(offset: number, byteLength: number): Uint8Array {
    const copy = allocateUninitialisedBytes(byteLength);
    if (byteLength === 0) return copy;
    let index = this.pieceIndexAt(offset);
    let start = offset - this.starts[index]!;
    let filled = 0;
    while (filled < byteLength) {
      const piece = this.pieces[index]!;
      const take = Math.min(byteLength - filled, piece.byteLength - start);
      copy.set(piece.subarray(start, start + take), filled);
      filled += take;
      index += 1;
      start = 0;
    }
    return copy;
  }

  /**
   * A view of the first `byteLength - k` bytes at `offset`, for 1 <= k < 8, when those bytes are
   * contiguous and 8-byte aligned but the last k bytes lie in another piece and are all zero: the
   * padding Arrow writers add after a buffer (Arrow JS counts it in the buffer's length). The chunks
   * of a large column buffer are views of it, its padding is not, so without this the whole buffer
   * would be copied for want of its padding. Undefined when that is not the case. The caller must
   * check that the shorter view still holds every value the metadata claims, since a writer may also
   * count no padding, making those zero bytes data.
   */
  readWithoutPadding(offset: number, byteLength: number): Uint8Array | undefined {
    if (byteLength < 2) return undefined;
    const firstIndex = this.pieceIndexAt(offset);
    const first = this.pieces[firstIndex]!;
    const viewOffset = first.byteOffset + (offset - this.starts[firstIndex]!);
    if (viewOffset % ALIGNMENT_BYTES !== 0) return undefined;
    const end = this.contiguousEnd(firstIndex, offset + byteLength);
    const paddingBytes = offset + byteLength - end;
    if (paddingBytes < 1 || paddingBytes >= ALIGNMENT_BYTES) return undefined;
    const padding = this.read(end, paddingBytes, false);
    if (padding.some((byte) => byte !== 0)) return undefined;
    return new Uint8Array(first.buffer, viewOffset, byteLength - paddingBytes);
  }

  /** Index of the piece holding stream offset `offset` (binary search; pieces are never empty). */
  private pieceIndexAt(offset: number): number {
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * Stream offset, at most `limit`, up to which the bytes from piece `firstIndex` on are back-to-back
   * views of one buffer.
   */
  private contiguousEnd(firstIndex: number, limit: number): number {
    let previous = this.pieces[firstIndex]!;
    let index = firstIndex + 1;
    while (this.starts[index]! < limit) {
      const piece = this.pieces[index]!;
      if (
        piece.buffer !== previous.buffer ||
        piece.byteOffset !== previous.byteOffset + previous.byteLength
      ) {
        return this.starts[index]!;
      }
      previous = piece;
      index += 1;
    }
    return limit;
  }
}
