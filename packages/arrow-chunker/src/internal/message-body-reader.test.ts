import { MessageBodyReader } from './message-body-reader.js';
import { StreamPieces } from './stream-pieces.js';

/** A 32-byte stream: 8 header bytes, then a 24-byte body split over two separate buffers. */
function splitBody(): { pieces: StreamPieces; expected: Uint8Array } {
  const stream = Uint8Array.from({ length: 32 }, (_, index) => index + 1);
  return { pieces: new StreamPieces([stream.slice(0, 20), stream.slice(20)]), expected: stream.subarray(8) };
}

describe('MessageBodyReader', () => {
  it('views buffers inside one piece and copies a buffer that spans pieces', () => {
    const { pieces, expected } = splitBody();
    const reader = new MessageBodyReader(pieces, 8, 24);
    const inside = reader.read(0, 8, false);
    const spanning = reader.read(8, 16, false);
    expect([...inside]).toEqual([...expected.subarray(0, 8)]);
    expect([...spanning]).toEqual([...expected.subarray(8, 24)]);
    expect(spanning.buffer.byteLength).toBe(16);
    expect(spanning.byteOffset).toBe(0);
  });

  it('copies no more than the body size: buffers that overlap are served from one joined body', () => {
    const { pieces, expected } = splitBody();
    const reader = new MessageBodyReader(pieces, 8, 24);
    // Hostile metadata pointing many buffers at overlapping ranges that span both pieces.
    const offsets = Array.from({ length: 50 }, (_, index) => index % 9);
    const reads = offsets.map((offset) => reader.read(offset, 16, false));
    reads.forEach((bytes, index) => {
      const offset = offsets[index]!;
      expect([...bytes]).toEqual([...expected.subarray(offset, offset + 16)]);
    });
    const allocations = new Set(reads.map((bytes) => bytes.buffer));
    // The first read is a copy of its own; then the budget runs out and the body is joined once.
    expect(allocations.size).toBe(2);
    const allocatedBytes = [...allocations].reduce((sum, buffer) => sum + buffer.byteLength, 0);
    expect(allocatedBytes).toBeLessThanOrEqual(16 + 24);
  });

  it('hands out the same copy when a buffer is read again (a batch loaded a second time)', () => {
    const { pieces } = splitBody();
    const reader = new MessageBodyReader(pieces, 8, 24);
    expect(reader.read(8, 16, false)).toBe(reader.read(8, 16, false));
  });
});
