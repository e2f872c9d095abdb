import { documentWithRowId } from './document-with-row-id';

describe('documentWithRowId', () => {
  it('appends _meta.row_id as the last key of the serialised record', () => {
    const json = documentWithRowId({ id: 7, name: 'customer-7', amount: 0.07 }, 123_456_789);
    expect(json).toBe('{"id":7,"name":"customer-7","amount":0.07,"_meta":{"row_id":123456789}}');
    expect(JSON.parse(json)).toEqual({
      id: 7,
      name: 'customer-7',
      amount: 0.07,
      _meta: { row_id: 123_456_789 },
    });
  });

  it('handles an empty record and keeps an existing _meta object, overriding only row_id', () => {
    expect(documentWithRowId({}, 1)).toBe('{"_meta":{"row_id":1}}');
    expect(JSON.parse(documentWithRowId({ a: 1, _meta: { op: 'u', row_id: 9 } }, 2))).toEqual({
      a: 1,
      _meta: { op: 'u', row_id: 2 },
    });
  });

  it('writes row ids beyond 2^31 as plain integers', () => {
    const rowId = 2 ** 40 + 3;
    expect(JSON.parse(documentWithRowId({ id: 1 }, rowId))._meta.row_id).toBe(rowId);
  });
});
