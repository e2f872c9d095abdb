import {
  Bool,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int8,
  Int32,
  Int64,
  List,
  Schema,
  Struct,
  TimestampMillisecond,
  TimestampSecond,
  Utf8,
} from 'apache-arrow';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import type { ChunkerError } from './errors/chunker-error.js';
import { ChunkerRowSchemaMismatchError } from './errors/chunker-row-schema-mismatch-error.js';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { recordBatchToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

function catchError(action: () => unknown): ChunkerError {
  try {
    action();
  } catch (error) {
    return error as ChunkerError;
  }
  throw new Error('expected a throw');
}

describe('rowsToRecordBatch', () => {
  it('round-trips inferred rows of every supported kind', () => {
    const rows = [
      {
        float: 1.5,
        big: 2n ** 62n,
        text: 'ünïcødé 🎉',
        flag: true,
        when: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 7)),
        bytes: new Uint8Array([0, 255]),
        nested: { inner: 'x', deeper: { n: 1 } },
        list: [1, 2],
        nothing: null,
      },
      {
        float: null,
        big: null,
        text: '',
        flag: false,
        when: null,
        bytes: null,
        nested: null,
        list: [],
        nothing: null,
      },
    ];
    const batch = rowsToRecordBatch(rows);
    expect(batch.numRows).toBe(2);
    expect(recordBatchToRows(batch)).toEqual(rows);
  });

  it('treats missing properties as nulls', () => {
    const batch = rowsToRecordBatch([{ a: 1 }, { b: 'x' }]);
    expect(recordBatchToRows(batch)).toEqual([
      { a: 1, b: null },
      { a: null, b: 'x' },
    ]);
  });

  it('converts with an explicit schema, coercing dates and integers to the declared types', () => {
    const schema = new Schema([
      new Field('id', new Int64(), false),
      new Field('small', new Int8(), true),
      new Field('at', new TimestampMillisecond('UTC'), true),
      new Field('day', new DateDay(), true),
      new Field('seconds', new TimestampSecond(), true),
      new Field('tag', new Dictionary(new Utf8(), new Int32()), true),
      new Field('ok', new Bool(), true),
    ]);
    const batch = rowsToRecordBatch(
      [
        {
          id: 7,
          small: -128,
          at: '2024-03-01T10:00:00.250Z',
          day: new Date(Date.UTC(2024, 0, 2)),
          seconds: 1_500,
          tag: 'red',
          ok: true,
        },
        { id: 2n ** 63n - 1n, small: null, at: 0, day: null, seconds: null, tag: 'red', ok: null },
      ],
      { schema },
    );
    expect(recordBatchToRows(batch)).toEqual([
      {
        id: 7n,
        small: -128,
        at: new Date('2024-03-01T10:00:00.250Z'),
        day: new Date(Date.UTC(2024, 0, 2)),
        seconds: new Date(1_000),
        tag: 'red',
        ok: true,
      },
      { id: 2n ** 63n - 1n, small: null, at: new Date(0), day: null, seconds: null, tag: 'red', ok: null },
    ]);
  });

  it('reads zone-less ISO date-times as UTC whatever the local time zone', () => {
    // jest.config.js runs the tests in America/New_York.
    expect(new Date(2024, 6, 1).getTimezoneOffset()).not.toBe(0);
    const schema = new Schema([new Field('at', new TimestampMillisecond(), true)]);
    const rows = recordBatchToRows(
      rowsToRecordBatch(
        [{ at: '2024-07-01T12:30:00' }, { at: '2024-07-01 12:30:00.5' }, { at: '2024-07-01' }],
        {
          schema,
        },
      ),
    );
    expect(rows.map((row) => (row.at as Date).getTime())).toEqual([
      Date.UTC(2024, 6, 1, 12, 30),
      Date.UTC(2024, 6, 1, 12, 30, 0, 500),
      Date.UTC(2024, 6, 1),
    ]);
  });

  it('names the row index and field path of a value that does not fit', () => {
    const schema = new Schema([
      new Field('id', new Int32(), false),
      new Field('address', new Struct([new Field('zip', new Int32(), true)]), true),
      new Field('scores', new List(new Field('item', new Float64(), false)), true),
    ]);
    const cases: [Record<string, unknown>[], number, string][] = [
      [[{ id: 1 }, { id: 'two' }], 1, 'id'],
      [[{ id: 1 }, { id: null }], 1, 'id'],
      [[{ id: 2 ** 31 }], 0, 'id'],
      [[{ id: 1.5 }], 0, 'id'],
      [[{ id: 1, address: { zip: 'x' } }], 0, 'address.zip'],
      [[{ id: 1, address: [] }], 0, 'address'],
      [[{ id: 1 }, { id: 2 }, { id: 3, scores: [1, null] }], 2, 'scores[]'],
      [[{ id: 1, unknown: true }], 0, 'unknown'],
      [[{ id: 1, address: { zip: 1, extra: 2 } }], 0, 'address.extra'],
    ];
    for (const [rows, rowIndex, fieldPath] of cases) {
      const error = catchError(() => rowsToRecordBatch(rows, { schema }));
      expect(ChunkerRowSchemaMismatchError.isInstance(error)).toBe(true);
      expect(error.code).toBe('CHUNKER_ROW_SCHEMA_MISMATCH');
      expect((error as ChunkerRowSchemaMismatchError).rowIndex).toBe(rowIndex);
      expect((error as ChunkerRowSchemaMismatchError).fieldPath).toBe(fieldPath);
    }
  });

  it('drops unknown properties only when asked to', () => {
    const schema = new Schema([new Field('id', new Int32(), true)]);
    const batch = rowsToRecordBatch([{ id: 1, other: 'x' }], { schema, extraFields: 'ignore' });
    expect(recordBatchToRows(batch)).toEqual([{ id: 1 }]);
    expect(
      ChunkerConfigError.isInstance(catchError(() => rowsToRecordBatch([], { extraFields: 'x' as 'error' }))),
    ).toBe(true);
  });

  it('rejects rows that are not plain objects', () => {
    const schema = new Schema([new Field('id', new Int32(), true)]);
    const error = catchError(() =>
      rowsToRecordBatch([{ id: 1 }, [1] as unknown as Record<string, unknown>], { schema }),
    );
    expect((error as ChunkerRowSchemaMismatchError).rowIndex).toBe(1);
  });

  it('rejects Arrow types it cannot fill from rows', () => {
    const schema = new Schema([new Field('d', new Dictionary(new Int32(), new Int32()), true)]);
    expect(ChunkerUnsupportedTypeError.isInstance(catchError(() => rowsToRecordBatch([], { schema })))).toBe(
      true,
    );
  });

  it('gives an empty batch with the schema for no rows', () => {
    const schema = new Schema([new Field('id', new Int32(), true)]);
    const batch = rowsToRecordBatch([], { schema });
    expect(batch.numRows).toBe(0);
    expect(batch.schema.fields.map(String)).toEqual(['id: Int32']);
  });
});
