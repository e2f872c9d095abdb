import { readFileSync } from 'node:fs';
import path from 'node:path';
import { atOddOffset } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { tableToRows } from './record-batch-to-rows.js';

/** Streams written by pyarrow 25 (see __fixtures__/generate-pyarrow-fixtures.py), split into 7-byte chunks at odd offsets. */
function decodeFixture(name: string) {
  const bytes = new Uint8Array(readFileSync(path.join(__dirname, '__fixtures__', name)));
  const assembler = new ChunkAssembler({ channel: name });
  let table: ReturnType<ChunkAssembler['push']>;
  for (let offset = 0; offset < bytes.byteLength; offset += 7) {
    const end = Math.min(offset + 7, bytes.byteLength);
    table = assembler.push({
      data: atOddOffset(bytes.subarray(offset, end)),
      endOfChunk: end === bytes.byteLength,
    });
  }
  assembler.close();
  return table!;
}

describe('streams written by pyarrow', () => {
  it('decodes mixed types, nulls, unicode, Int64 extremes and nested values', () => {
    const table = decodeFixture('pyarrow-mixed.arrows');
    expect(table.batches).toHaveLength(2);
    expect(tableToRows(table)).toEqual([
      {
        id: -(2n ** 63n),
        price: 1.5,
        name: 'héllo',
        big_text: 'x'.repeat(50),
        flag: true,
        at: new Date('2024-02-29T12:00:00.123Z'),
        day: new Date('2024-01-02T00:00:00Z'),
        tags: [1, 2],
        address: { city: 'Paris', zip: 75001 },
      },
      {
        id: 2n ** 63n - 1n,
        price: null,
        name: null,
        big_text: '',
        flag: null,
        at: null,
        day: null,
        tags: null,
        address: null,
      },
      {
        id: null,
        price: -0.25,
        name: '🎉 漢字',
        big_text: null,
        flag: false,
        at: new Date('1969-12-31T23:59:59Z'),
        day: new Date('1900-01-01T00:00:00Z'),
        tags: [],
        address: { city: null, zip: 1 },
      },
      {
        id: 7n,
        price: 2,
        name: 'second',
        big_text: 'b',
        flag: true,
        at: new Date(0),
        day: new Date(0),
        tags: [3],
        address: { city: 'Oslo', zip: 150 },
      },
    ]);
  });

  it('decodes replacement and delta dictionaries', () => {
    expect(
      tableToRows(decodeFixture('pyarrow-dictionary-replacement.arrows')).map((row) => row.color),
    ).toEqual(['red', 'green', 'red', 'gelb', null, 'blue']);
    expect(tableToRows(decodeFixture('pyarrow-dictionary-delta.arrows')).map((row) => row.color)).toEqual([
      'red',
      'green',
      'blue',
      'red',
    ]);
  });

  it('decodes a schema-only stream and a zero-row batch', () => {
    const schemaOnly = decodeFixture('pyarrow-schema-only.arrows');
    expect(schemaOnly.numRows).toBe(0);
    expect(schemaOnly.schema.fields.map((field) => field.name)).toEqual([
      'id',
      'price',
      'name',
      'big_text',
      'flag',
      'at',
      'day',
      'tags',
      'address',
    ]);
    const zeroRows = decodeFixture('pyarrow-zero-rows.arrows');
    expect(zeroRows.numRows).toBe(0);
    expect(String(zeroRows.schema.fields[0]!.type)).toBe('Dictionary<Int32, Utf8>');
  });
});
