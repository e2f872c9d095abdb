import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint64,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { columnTypeForJsonSchema } from '../column-type';
import { jsonSchemaOfArrowSchema, recordsOfBatch } from './arrow-records';

function batchOf(columns: Record<string, ReturnType<typeof makeVector>>): RecordBatch {
  const fields = Object.entries(columns).map(([name, vector]) => new Field(name, vector.type, true));
  const length = Object.values(columns)[0]?.length ?? 0;
  const data = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: Object.values(columns).map((vector) => vector.data[0] as never),
  });
  return new RecordBatch(new Schema(fields), data);
}

function timestamps<
  T extends TimestampSecond | TimestampMillisecond | TimestampMicrosecond | TimestampNanosecond,
>(type: T, values: bigint[]) {
  return makeVector(
    makeData({ type, length: values.length, nullCount: 0, data: BigInt64Array.from(values) }),
  );
}

describe('jsonSchemaOfArrowSchema', () => {
  it('gives each Arrow type the column type the README documents', () => {
    const schema = new Schema([
      new Field('i32', new Int32()),
      new Field('i64', new Int64()),
      new Field('u64', new Uint64()),
      new Field('f', new Float64()),
      new Field('d', new Decimal(2, 10, 128)),
      new Field('b', new Bool()),
      new Field('s', new Utf8()),
      new Field('tz', new TimestampMicrosecond('UTC')),
      new Field('local', new TimestampMicrosecond()),
      new Field('day', new DateDay()),
      new Field('bytes', new Binary()),
      new Field('list', new List(new Field('item', new Int32()))),
      new Field('struct', new Struct([new Field('a', new Int32())])),
      new Field('dict', new Dictionary(new Utf8(), new Int32())),
    ]);
    const properties = jsonSchemaOfArrowSchema(schema).properties as Record<string, unknown>;
    expect(
      Object.fromEntries(
        Object.entries(properties).map(([name, node]) => [name, columnTypeForJsonSchema(node)]),
      ),
    ).toEqual({
      i32: 'BIGINT',
      i64: 'BIGINT',
      u64: 'HUGEINT',
      f: 'DOUBLE',
      d: 'VARCHAR',
      b: 'BOOLEAN',
      s: 'VARCHAR',
      tz: 'TIMESTAMPTZ',
      local: 'TIMESTAMP',
      day: 'DATE',
      bytes: 'VARCHAR',
      list: 'JSON',
      struct: 'JSON',
      dict: 'VARCHAR',
    });
  });
});

describe('recordsOfBatch', () => {
  it('keeps integers, microseconds, decimals and nested values exact, and nulls null', () => {
    const batch = batchOf({
      i64: vectorFromArray([9_007_199_254_740_993n, null, -1n], new Int64()),
      u64: vectorFromArray([2n ** 64n - 1n, 0n, 1n], new Uint64()),
      f: vectorFromArray([Number.NaN, 1.5, null], new Float64()),
      us: timestamps(new TimestampMicrosecond('UTC'), [1_772_339_400_123_456n, -1n, 0n]),
      ms: timestamps(new TimestampMillisecond(), [1_772_339_400_123n, -1_500n, 0n]),
      s: timestamps(new TimestampSecond('UTC'), [1n, 0n, -1n]),
      ns: timestamps(new TimestampNanosecond('UTC'), [1_772_339_400_123_456_789n, 0n, 999n]),
      day: vectorFromArray([new Date(Date.UTC(2026, 2, 1)), null, new Date(0)], new DateDay()),
      dec: makeVector(
        makeData({
          type: new Decimal(2, 10, 128),
          length: 3,
          nullCount: 0,
          data: new Uint32Array([
            12_345, 0, 0, 0, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 5, 0, 0, 0,
          ]),
        }),
      ),
      list: vectorFromArray([[1, 2], [], null], new List(new Field('item', new Int32(), true))),
      nested: vectorFromArray(
        [{ a: 1n, b: 'x' }, { a: null, b: null }, null],
        new Struct([new Field('a', new Int64(), true), new Field('b', new Utf8(), true)]),
      ),
      dict: vectorFromArray(['a', 'b', 'a'], new Dictionary(new Utf8(), new Int32())),
    });
    const [first, second, third] = recordsOfBatch(batch);
    expect(first).toEqual({
      i64: 9_007_199_254_740_993n,
      u64: 2n ** 64n - 1n,
      f: Number.NaN,
      us: '2026-03-01T04:30:00.123456Z',
      ms: '2026-03-01T04:30:00.123000',
      s: '1970-01-01T00:00:01.000000Z',
      ns: '2026-03-01T04:30:00.123456Z',
      day: '2026-03-01',
      dec: '123.45',
      list: [1, 2],
      nested: { a: 1n, b: 'x' },
      dict: 'a',
    });
    expect(second).toMatchObject({
      i64: null,
      us: '1969-12-31T23:59:59.999999Z',
      ms: '1969-12-31T23:59:58.500000',
      day: null,
      dec: '-0.01',
      list: [],
      nested: { a: null, b: null },
    });
    expect(third).toMatchObject({
      f: null,
      s: '1969-12-31T23:59:59.000000Z',
      ns: '1970-01-01T00:00:00.000000Z',
      dec: '0.05',
      list: null,
      nested: null,
    });
  });
});
