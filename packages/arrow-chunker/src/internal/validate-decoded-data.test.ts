import { Field, Float64, List, makeData, RecordBatch, Schema, Struct, Utf8 } from 'apache-arrow';
import fc from 'fast-check';
import { countZeroBits, findDecodedBatchProblem } from './validate-decoded-data.js';

function batchOf(field: Field, column: ReturnType<typeof makeData>, numRows: number): RecordBatch {
  const schema = new Schema([field]);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: numRows, children: [column] }),
  );
}

describe('findDecodedBatchProblem', () => {
  it('accepts consistent batches', () => {
    const strings = makeData({
      type: new Utf8(),
      length: 2,
      valueOffsets: Int32Array.of(0, 1, 3),
      data: new TextEncoder().encode('abc'),
    });
    expect(findDecodedBatchProblem(batchOf(new Field('s', new Utf8()), strings, 2), true)).toBeUndefined();
  });

  it('reports offsets that go backwards or past the values', () => {
    const backwards = makeData({
      type: new Utf8(),
      length: 2,
      valueOffsets: Int32Array.of(0, 1 << 30, 1),
      data: new Uint8Array(8),
    });
    expect(findDecodedBatchProblem(batchOf(new Field('s', new Utf8()), backwards, 2), true)).toMatch(
      /decrease/,
    );
    const child = makeData({ type: new Float64(), length: 1, data: new Float64Array(1) });
    const listType = new List(new Field('item', new Float64()));
    const pastChild = makeData({ type: listType, length: 1, valueOffsets: Int32Array.of(0, 5), child });
    expect(findDecodedBatchProblem(batchOf(new Field('l', listType), pastChild, 1), true)).toMatch(
      /past the 1 child values/,
    );
  });

  it('reports buffers shorter than the claimed length', () => {
    const short = makeData({ type: new Float64(), length: 1000, data: new Float64Array(2) });
    expect(findDecodedBatchProblem(batchOf(new Field('f', new Float64()), short, 1000), true)).toMatch(
      /too few/,
    );
  });

  it('counts the nulls of a validity bitmap at any offset and alignment (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.nat(7),
        fc.nat(700),
        fc.nat(700),
        (bytes, shift, a, b) => {
          // A view at an arbitrary byte offset of its buffer, as received pieces are.
          const backing = new Uint8Array(bytes.byteLength + shift);
          backing.set(bytes, shift);
          const bitmap = backing.subarray(shift);
          const bits = bytes.byteLength * 8;
          const begin = Math.min(a, b) % (bits + 1);
          const end = Math.min(Math.max(a, b), bits);
          let zeros = 0;
          for (let bit = begin; bit < end; bit += 1) zeros += ((bitmap[bit >> 3]! >> (bit & 7)) & 1) ^ 1;
          expect(countZeroBits(bitmap, begin, Math.max(begin, end))).toBe(begin < end ? zeros : 0);
        },
      ),
      { numRuns: 300, seed: 16_001 },
    );
  });
});
