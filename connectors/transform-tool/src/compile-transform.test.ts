import { tableToRows } from '@sdk/arrow-chunker';
import {
  Bool,
  type Data,
  Dictionary,
  Field,
  FixedSizeBinary,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { compileTransform, parseTransform } from './compile-transform';
import { TransformError } from './errors/transform-error';
import { parseToolConfig } from './tool-config';

function batchOf(
  columns: Record<string, { type: import('apache-arrow').DataType; values: unknown[] }>,
): RecordBatch {
  const fields = Object.entries(columns).map(([name, column]) => new Field(name, column.type, true));
  const children = Object.values(columns).map(
    (column) => vectorFromArray(column.values, column.type).data[0] as Data,
  );
  const length = children[0]?.length ?? 0;
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

function compile(xml: string, batch: RecordBatch) {
  return compileTransform(parseTransform(parseToolConfig(xml)), batch.schema);
}

function errorOf(run: () => unknown): TransformError {
  try {
    run();
  } catch (error) {
    if (TransformError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const rowsOf = (batch: RecordBatch) => tableToRows(new Table(batch));

describe('compileTransform', () => {
  const at = [
    new Date('2024-01-01T00:00:00Z'),
    null,
    new Date('2024-03-01T00:00:00Z'),
    new Date('2024-04-01T00:00:00Z'),
  ];
  const batch = batchOf({
    id: { type: new Int64(), values: [1n, 2n, 3n, 9_007_199_254_740_993n] },
    amount: { type: new Float64(), values: [50, 150, null, 300.5] },
    status: { type: new Utf8(), values: ['paid', 'paid', 'open', null] },
    flag: { type: new Bool(), values: [true, null, false, true] },
    region: { type: new Dictionary(new Utf8(), new Int32()), values: ['eu', 'us', 'eu', null] },
    at: { type: new TimestampMillisecond(), values: at },
  });

  it('keeps the rows the filter holds for, with every column type copied exactly', () => {
    const compiled = compile(
      '<Configuration><Filter>amount &gt; 100 or is_null(status)</Filter></Configuration>',
      batch,
    );
    const output = compiled.apply(batch);
    expect(rowsOf(output)).toEqual([
      { id: 2n, amount: 150, status: 'paid', flag: null, region: 'us', at: null },
      { id: 9_007_199_254_740_993n, amount: 300.5, status: null, flag: true, region: null, at: at[3] },
    ]);
  });

  it('appends formula columns of the declared types, computed on the kept rows only', () => {
    const compiled = compile(
      `<Configuration>
         <Filter>not (status == 'open')</Filter>
         <Formula name="eur" type="double">amount * 0.5</Formula>
         <Formula name="n" type="int32">amount / 7</Formula>
         <Formula name="big" type="int64">amount * 1000000000000</Formula>
         <Formula name="label">upper(status) + '!'</Formula>
         <Formula name="rich">amount &gt;= 150</Formula>
       </Configuration>`,
      batch,
    );
    expect(compiled.outputSchema.fields.slice(6).map((field) => `${field.name}:${field.type}`)).toEqual([
      'eur:Float64',
      'n:Int32',
      'big:Int64',
      'label:Utf8',
      'rich:Bool',
    ]);
    expect(
      rowsOf(compiled.apply(batch)).map(({ eur, n, big, label, rich }) => ({ eur, n, big, label, rich })),
    ).toEqual([
      { eur: 25, n: 7, big: 50_000_000_000_000n, label: 'PAID!', rich: false },
      { eur: 75, n: 21, big: 150_000_000_000_000n, label: 'PAID!', rich: true },
    ]);
  });

  it('reads a dictionary column of more words than a spread can pass (a RangeError before; found while writing the fuzz tests)', () => {
    const words = Array.from({ length: 200_000 }, (_unused, index) => `w${index}`);
    const many = batchOf({ word: { type: new Dictionary(new Utf8(), new Int32()), values: words } });
    const compiled = compile(
      `<Configuration><Filter>word == 'w199999' or word == 'w7'</Filter></Configuration>`,
      many,
    );
    expect(rowsOf(compiled.apply(many))).toEqual([{ word: 'w7' }, { word: 'w199999' }]);
  });

  it('selects rows of LargeUtf8 and FixedSizeBinary columns', () => {
    const wide = batchOf({
      name: { type: new LargeUtf8(), values: ['añb', null, 'ccc', ''] },
      code: {
        type: new FixedSizeBinary(2),
        values: [Uint8Array.of(1, 2), Uint8Array.of(3, 4), null, Uint8Array.of(7, 8)],
      },
      n: { type: new Float64(), values: [1, 2, 3, 4] },
    });
    const output = compile(
      "<Configuration><Filter>n != 2 and coalesce(name, '') != 'ccc'</Filter></Configuration>",
      wide,
    ).apply(wide);
    expect(rowsOf(output)).toEqual([
      { name: 'añb', code: Uint8Array.of(1, 2), n: 1 },
      { name: '', code: Uint8Array.of(7, 8), n: 4 },
    ]);
  });

  it('reads dictionary-encoded strings in expressions', () => {
    const compiled = compile(
      '<Configuration><Filter>region == \'eu\'</Filter><Formula name="r">upper(region)</Formula></Configuration>',
      batch,
    );
    expect(rowsOf(compiled.apply(batch)).map(({ id, region, r }) => ({ id, region, r }))).toEqual([
      { id: 1n, region: 'eu', r: 'EU' },
      { id: 3n, region: 'eu', r: 'EU' },
    ]);
  });

  it('passes every column through untouched when the filter keeps every row', () => {
    const output = compile('<Configuration><Filter>true</Filter></Configuration>', batch).apply(batch);
    expect(output.data.children).toEqual(batch.data.children);
  });

  it('refuses a value that does not fit an integer column (no silent wrap-around)', () => {
    const compiled = compile(
      '<Configuration><Formula name="n" type="int32">amount * 1e9</Formula></Configuration>',
      batch,
    );
    expect(errorOf(() => compiled.apply(batch)).code).toBe('TRANSFORM_EVALUATION');
  });

  it.each([
    ['<Configuration><Filter>amount + 1</Filter></Configuration>', 'TRANSFORM_TYPE', 'a non-boolean filter'],
    [
      '<Configuration><Filter>amont &gt; 1</Filter></Configuration>',
      'TRANSFORM_UNKNOWN_COLUMN',
      'an unknown column',
    ],
    [
      '<Configuration><Filter>status &gt; 1</Filter></Configuration>',
      'TRANSFORM_TYPE',
      'a string compared to a number',
    ],
    [
      '<Configuration><Formula name="x" type="string">amount</Formula></Configuration>',
      'TRANSFORM_TYPE',
      'a declared type that does not fit',
    ],
    [
      '<Configuration><Formula name="x">null</Formula></Configuration>',
      'TRANSFORM_TYPE',
      'a formula of unknown type',
    ],
    [
      '<Configuration><Formula name="amount">1</Formula></Configuration>',
      'TRANSFORM_SCHEMA',
      'a formula named like a column',
    ],
  ])('refuses %p with %p (%s) before any row is processed', (xml, code) => {
    expect(errorOf(() => compile(xml, batch)).code).toBe(code);
  });

  it('refuses to filter a table with a nested column, yet computes formulas over it', () => {
    const nested = batchOf({
      amount: { type: new Float64(), values: [1, 2] },
      tags: { type: new List(new Field('item', new Utf8(), true)), values: [['a'], []] },
    });
    expect(
      errorOf(() => compile('<Configuration><Filter>amount &gt; 1</Filter></Configuration>', nested)).code,
    ).toBe('TRANSFORM_SCHEMA');
    const output = compile(
      '<Configuration><Formula name="twice">amount * 2</Formula></Configuration>',
      nested,
    ).apply(nested);
    expect(rowsOf(output)).toEqual([
      { amount: 1, tags: ['a'], twice: 2 },
      { amount: 2, tags: [], twice: 4 },
    ]);
  });
});
