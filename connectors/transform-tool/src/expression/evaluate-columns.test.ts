import {
  Bool,
  type Data,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  tableFromArrays,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { evaluateRow, type Row } from '../__fixtures__/row-reference';
import { valueAt } from './column-value';
import { evaluateColumns } from './evaluate-columns';
import { parseExpression } from './parse-expression';
import { typeCheck } from './type-check';

const schema = new Schema([
  new Field('x', new Float64(), true),
  new Field('y', new Float64(), true),
  new Field('i', new Int32(), true),
  new Field('s', new Utf8(), true),
  new Field('t', new Utf8(), true),
  new Field('p', new Bool(), true),
  new Field('q', new Bool(), true),
]);

function batchOf(rows: readonly Row[]): RecordBatch {
  const children = schema.fields.map(
    (field) =>
      vectorFromArray(
        rows.map((row) => row[field.name] ?? null),
        field.type,
      ).data[0] as Data,
  );
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }),
  );
}

/** Evaluates `text` both ways over `rows` and returns [column-at-a-time, row-at-a-time] per row. */
function bothWays(text: string, rows: readonly Row[]) {
  const source = { name: 'Formula', text };
  const typed = typeCheck(parseExpression(source), schema, source);
  const batch = batchOf(rows);
  const columnar = evaluateColumns(typed, batch.data.children as Data[], rows.length);
  return rows.map((row, index) => [valueAt(columnar, index), evaluateRow(typed, row)]);
}

const evaluate = (text: string, rows: readonly Row[]) => bothWays(text, rows).map(([columnar]) => columnar);

const nullRow: Row = { x: null, y: null, i: null, s: null, t: null, p: null, q: null };

describe('evaluateColumns: SQL null semantics', () => {
  const truthRows: Row[] = [true, false, null].flatMap((p) =>
    [true, false, null].map((q) => ({ ...nullRow, p, q })),
  );

  it('and/or/not follow three-valued logic', () => {
    expect(evaluate('p and q', truthRows)).toEqual([
      true,
      false,
      null,
      false,
      false,
      false,
      null,
      false,
      null,
    ]);
    expect(evaluate('p or q', truthRows)).toEqual([true, true, true, true, false, null, true, null, null]);
    expect(evaluate('not p', truthRows)).toEqual([false, false, false, true, true, true, null, null, null]);
  });

  it('arithmetic, comparisons and functions on null give null; is_null and coalesce see through it', () => {
    const rows: Row[] = [{ ...nullRow, x: 2, s: 'Ab' }, nullRow];
    expect(evaluate('x + 1', rows)).toEqual([3, null]);
    expect(evaluate('x > 1', rows)).toEqual([true, null]);
    expect(evaluate("s == 'Ab'", rows)).toEqual([true, null]);
    expect(evaluate('upper(s)', rows)).toEqual(['AB', null]);
    expect(evaluate('is_null(x)', rows)).toEqual([false, true]);
    expect(evaluate('coalesce(x, y, -1)', rows)).toEqual([2, -1]);
    expect(evaluate("if(x > 1, 'big', 'other')", rows)).toEqual(['big', 'other']);
  });

  it('makes division and remainder by zero null, and rounds half away from zero', () => {
    const rows: Row[] = [
      { ...nullRow, x: 7, y: 0 },
      { ...nullRow, x: -2.5, y: 2 },
    ];
    expect(evaluate('x / y', rows)).toEqual([null, -1.25]);
    expect(evaluate('x % y', rows)).toEqual([null, -0.5]);
    expect(evaluate('round(x)', rows)).toEqual([7, -3]);
    expect(evaluate('round(x / 3, 2)', [{ ...nullRow, x: 10 }])).toEqual([3.33]);
  });

  it('counts length in characters, not UTF-16 units', () => {
    expect(evaluate('length(s)', [{ ...nullRow, s: 'a😀' }])).toEqual([2]);
  });

  it('reads a sliced batch at the right rows (Arrow offsets)', () => {
    const table = tableFromArrays({
      x: Float64Array.from([1, 2, 3, 4]),
      i: Int32Array.from([10, 20, 30, 40]),
    });
    const sliced = table.slice(1, 3).batches[0] as RecordBatch;
    const source = { name: 'f', text: 'x + i' };
    const typed = typeCheck(parseExpression(source), sliced.schema, source);
    const result = evaluateColumns(typed, sliced.data.children as Data[], sliced.numRows);
    expect([0, 1].map((row) => valueAt(result, row))).toEqual([22, 33]);
  });
});

// Random well-typed expressions, built as text so that the parser is exercised too.
const numberLiteral = fc.constantFrom('0', '1', '2', '0.5', '3.25', '100', '1e3', '7');
const stringLiteral = fc.constantFrom("'a'", "'B'", "''", "' pad '", "'zz'");
const { numberExpr, stringExpr, boolExpr } = fc.letrec<{
  numberExpr: string;
  stringExpr: string;
  boolExpr: string;
}>((tie) => ({
  numberExpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    // A bare `null` cannot be compared with == (a type error by design), so null arrives through `+`.
    fc.constantFrom('x', 'y', 'i', '(x + null)', 'coalesce(null, y)'),
    numberLiteral,
    fc
      .tuple(tie('numberExpr'), fc.constantFrom('+', '-', '*', '/', '%'), tie('numberExpr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('numberExpr').map((a) => `-${a}`),
    tie('numberExpr').map((a) => `abs(${a})`),
    fc
      .tuple(tie('numberExpr'), fc.integer({ min: -1, max: 2 }))
      .map(([a, digits]) => `round(${a}, ${digits})`),
    tie('stringExpr').map((a) => `length(${a})`),
    fc.tuple(tie('numberExpr'), tie('numberExpr')).map(([a, b]) => `coalesce(${a}, ${b})`),
    fc
      .tuple(tie('boolExpr'), tie('numberExpr'), tie('numberExpr'))
      .map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
  ),
  stringExpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('s', 't'),
    stringLiteral,
    fc.tuple(tie('stringExpr'), tie('stringExpr')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(fc.constantFrom('lower', 'upper', 'trim'), tie('stringExpr')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('stringExpr'), tie('stringExpr')).map(([a, b]) => `coalesce(${a}, ${b})`),
  ),
  boolExpr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('p', 'q', 'true', 'false'),
    fc
      .tuple(tie('numberExpr'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('numberExpr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(tie('stringExpr'), fc.constantFrom('==', '!=', '<', '>='), tie('stringExpr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(tie('boolExpr'), fc.constantFrom('and', 'or'), tie('boolExpr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(tie('boolExpr'), fc.constantFrom('==', '!='), tie('boolExpr'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('boolExpr').map((a) => `(not ${a})`),
    fc.oneof(tie('numberExpr'), tie('stringExpr')).map((a) => `is_null(${a})`),
  ),
}));

const row: fc.Arbitrary<Row> = fc.record({
  x: fc.option(
    fc.oneof(
      fc.integer({ min: -50, max: 50 }),
      fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      fc.constant(0),
    ),
    { nil: null },
  ),
  y: fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10 })), { nil: null }),
  i: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  s: fc.option(fc.string({ maxLength: 6, unit: 'grapheme' }), { nil: null }),
  t: fc.option(fc.constantFrom('a', 'B', ' pad ', 'zz', ''), { nil: null }),
  p: fc.option(fc.boolean(), { nil: null }),
  q: fc.option(fc.boolean(), { nil: null }),
});

describe('evaluateColumns agrees with a row-at-a-time reference', () => {
  it.each([
    ['number', numberExpr],
    ['string', stringExpr],
    ['boolean', boolExpr],
  ])('for random %s expressions over random rows with nulls', (_type, expression) => {
    fc.assert(
      fc.property(expression, fc.array(row, { minLength: 1, maxLength: 40 }), (text, rows) => {
        for (const [columnar, reference] of bothWays(text, rows)) expect(columnar).toStrictEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('also when the only row values are scalars broadcast over the batch', () => {
    expect(evaluate("'a' + 'b'", [nullRow, nullRow])).toEqual(['ab', 'ab']);
    expect(evaluate('1 / 0', [nullRow])).toEqual([null]);
    expect(bothWays('coalesce(null, 2)', [nullRow])).toEqual([[2, 2]]);
  });
});

it('keeps the schema types it was given (sanity of the test schema)', () => {
  expect(schema.fields.map((field) => String(field.type))).toEqual([
    'Float64',
    'Float64',
    'Int32',
    'Utf8',
    'Utf8',
    'Bool',
    'Bool',
  ]);
});
