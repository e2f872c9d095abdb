import { Field, Float64, List, makeData, RecordBatch, Schema, Struct, Utf8 } from 'apache-arrow';
import { findDecodedBatchProblem } from './validate-decoded-data.js';

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
});
