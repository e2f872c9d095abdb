import { StreamPieces } from './stream-pieces.js';

/** `length` bytes counting up from `first`, in a buffer of their own. */
function countingBytes(length: number, first = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (first + index) % 256);
}

describe('StreamPieces', () => {
  it('reads a range inside one piece as a view of it', () => {
    const bytes = countingBytes(64);
    const pieces = new StreamPieces([bytes.subarray(0, 16), bytes.subarray(16)]);
    const range = pieces.read(24, 16, true);
    expect(range.buffer).toBe(bytes.buffer);
    expect(range.byteOffset).toBe(24);
    expect([...range]).toEqual([...bytes.subarray(24, 40)]);
  });

  it('reads a range across back-to-back views of one buffer as one view', () => {
    const bytes = countingBytes(64);
    const pieces = new StreamPieces([bytes.subarray(0, 10), bytes.subarray(10, 30), bytes.subarray(30)]);
    const range = pieces.read(8, 40, true);
    expect(range.buffer).toBe(bytes.buffer);
    expect([...range]).toEqual([...bytes.subarray(8, 48)]);
  });

  it('copies a range that spans separate buffers, into an aligned buffer of its own', () => {
    const first = countingBytes(20, 1);
    const second = countingBytes(20, 101);
    const pieces = new StreamPieces([first, second]);
    const range = pieces.read(16, 8, true);
    expect(range.buffer).not.toBe(first.buffer);
    expect(range.buffer).not.toBe(second.buffer);
    expect(range.byteOffset % 8).toBe(0);
    expect([...range]).toEqual([...first.subarray(16), ...second.subarray(0, 4)]);
  });

  it('copies an unaligned range when asked for alignment, and views it otherwise', () => {
    const backing = countingBytes(40);
    const pieces = new StreamPieces([backing.subarray(3, 35)]);
    const aligned = pieces.read(8, 16, true);
    expect(aligned.buffer).not.toBe(backing.buffer);
    expect(aligned.byteOffset % 8).toBe(0);
    expect([...aligned]).toEqual([...backing.subarray(11, 27)]);
    const view = pieces.read(8, 16, false);
    expect(view.buffer).toBe(backing.buffer);
    expect([...view]).toEqual([...aligned]);
  });

  it('reads little-endian int32 values that straddle pieces', () => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setInt32(2, -123_456, true);
    const pieces = new StreamPieces([bytes.slice(0, 3), bytes.slice(3, 5), bytes.slice(5)]);
    expect(pieces.byteLength).toBe(8);
    expect(pieces.readInt32(2)).toBe(-123_456);
  });

  it('ignores empty pieces', () => {
    const bytes = countingBytes(16);
    const pieces = new StreamPieces([
      new Uint8Array(0),
      bytes.subarray(0, 8),
      new Uint8Array(0),
      bytes.subarray(8),
    ]);
    expect(pieces.read(4, 8, false).buffer).toBe(bytes.buffer);
  });

  describe('readWithoutPadding', () => {
    it('views the bytes before zero padding that lies in another piece', () => {
      const data = new Uint8Array(16).fill(7);
      const pieces = new StreamPieces([data.subarray(0, 12), new Uint8Array(4)]);
      const view = pieces.readWithoutPadding(0, 16);
      expect(view?.buffer).toBe(data.buffer);
      expect(view?.byteLength).toBe(12);
    });

    it('refuses when the bytes in the other piece are not zero, or are 8 or more', () => {
      const data = new Uint8Array(24).fill(7);
      expect(
        new StreamPieces([data.subarray(0, 12), Uint8Array.of(0, 0, 1, 0)]).readWithoutPadding(0, 16),
      ).toBe(undefined);
      expect(new StreamPieces([data.subarray(0, 8), new Uint8Array(8)]).readWithoutPadding(0, 16)).toBe(
        undefined,
      );
    });

    it('refuses an unaligned start and a range that is already whole', () => {
      const data = new Uint8Array(24).fill(7);
      expect(new StreamPieces([data.subarray(4, 16), new Uint8Array(4)]).readWithoutPadding(0, 16)).toBe(
        undefined,
      );
      expect(new StreamPieces([data]).readWithoutPadding(0, 16)).toBe(undefined);
    });
  });
});
