import {
  Bool,
  type DataType,
  Field,
  Float16,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeList,
  List,
  makeVector,
  Struct,
  TimestampMillisecond,
  TimestampSecond,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { ChunkerUnsupportedTypeError } from '../errors/chunker-unsupported-type-error.js';
import { createColumnBuilder } from './column-builders.js';

function build(type: DataType, values: unknown[]): unknown[] {
  const builder = createColumnBuilder(type);
  for (const value of values) builder.append(value);
  const data = builder.finish();
  expect(data.length).toBe(values.length);
  expect(data.nullCount).toBe(values.filter((value) => value === null).length);
  const vector = makeVector(data);
  return Array.from({ length: values.length }, (_, index) => vector.get(index));
}

// Enough values to cross the initial capacity and the bitmap growth several times.
const COUNT = 5_000;
const withNulls = <T>(make: (index: number) => T): (T | null)[] =>
  Array.from({ length: COUNT }, (_, index) => (index % 7 === 3 || index > COUNT - 4 ? null : make(index)));

describe('createColumnBuilder', () => {
  it('builds numbers of every width with nulls across growth', () => {
    const floats = withNulls((index) => index / 3 - 100);
    expect(build(new Float64(), floats)).toEqual(floats);
    const ints = withNulls((index) => (index % 2 === 0 ? -index : index) * 1000 + 0);
    expect(build(new Int32(), ints)).toEqual(ints);
    const small = withNulls((index) => (index % 256) - 128);
    expect(build(new Int8(), small)).toEqual(small);
    const unsigned = withNulls((index) => 2 ** 32 - 1 - index);
    expect(build(new Uint32(), unsigned)).toEqual(unsigned);
    const halves = [1.5, null, -2];
    expect(build(new Float16(), halves)).toEqual(halves);
  });

  it('builds booleans and unicode strings', () => {
    const flags = withNulls((index) => index % 3 === 0);
    expect(build(new Bool(), flags)).toEqual(flags);
    const strings = withNulls((index) => (index % 5 === 0 ? '' : `ünï ${index} 🎉 漢字`));
    expect(build(new Utf8(), strings)).toEqual(strings);
  });

  it('encodes lone surrogates like TextEncoder does, even at string boundaries', () => {
    const strings = ['a\uD800', '\uDC00b', '\uD800', 'ok', '\uDC00'];
    const roundTrip = (value: string) => new TextDecoder().decode(new TextEncoder().encode(value));
    expect(build(new Utf8(), strings)).toEqual(strings.map(roundTrip));
  });

  it('builds timestamps before and after 1970 and far from it', () => {
    const milliseconds = withNulls((index) => (index - COUNT / 2) * 86_400_123_457);
    expect(build(new TimestampMillisecond('UTC'), milliseconds)).toEqual(milliseconds);
    const seconds = withNulls((index) => (index - COUNT / 2) * 1_000_000_000);
    expect(build(new TimestampSecond(), seconds)).toEqual(seconds);
    expect(build(new TimestampMillisecond(), [-8.64e15, 8.64e15, -1, 0])).toEqual([-8.64e15, 8.64e15, -1, 0]);
  });

  it('builds an all-null and an empty column', () => {
    expect(build(new Utf8(), [null, null])).toEqual([null, null]);
    expect(build(new Float64(), [])).toEqual([]);
  });

  it('builds 64-bit integers from numbers and bigints, at both ends of their ranges', () => {
    const signed = withNulls((index) => (index % 2 === 0 ? -index : index) * 2 ** 40 + index);
    expect(build(new Int64(), signed)).toEqual(
      signed.map((value) => (value === null ? null : BigInt(value))),
    );
    const extremes = [
      -(2n ** 63n),
      2n ** 63n - 1n,
      -1n,
      0n,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ];
    expect(build(new Int64(), extremes)).toEqual(extremes.map((value) => BigInt(value)));
    const unsigned = [2n ** 64n - 1n, 2n ** 63n, 2n ** 32n, 0, Number.MAX_SAFE_INTEGER];
    expect(build(new Uint64(), unsigned)).toEqual(unsigned.map((value) => BigInt(value)));
  });

  // Values arrive as the normaliser gives them: a struct as its field values in field order.
  it('builds structs, with null structs and nested children across growth', () => {
    const type = new Struct([
      new Field('city', new Utf8(), true),
      new Field('zip', new Int64(), true),
      new Field('geo', new Struct([new Field('lat', new Float64(), true)]), true),
    ]);
    const values = withNulls((index) => [`city ${index}`, index % 11 === 0 ? null : index, [index / 4]]);
    const read = build(type, values) as Array<{ toJSON(): Record<string, unknown> } | null>;
    expect(
      read.map((row) =>
        row === null ? null : { ...row.toJSON(), geo: (row.toJSON().geo as { toJSON(): unknown }).toJSON() },
      ),
    ).toEqual(
      values.map((value) =>
        value === null
          ? null
          : {
              city: value[0],
              zip: value[1] === null ? null : BigInt(value[1] as number),
              geo: { lat: (value[2] as number[])[0] },
            },
      ),
    );
  });

  it('builds lists and large lists, empty and null ones, of strings and of structs', () => {
    const strings = withNulls((index) => Array.from({ length: index % 4 }, (_, item) => `t${index}.${item}`));
    for (const type of [
      new List(new Field('item', new Utf8(), true)),
      new LargeList(new Field('item', new Utf8(), true)),
    ]) {
      const read = build(type, strings) as Array<{ toArray(): unknown[] } | null>;
      expect(read.map((list) => (list === null ? null : [...list.toArray()]))).toEqual(strings);
    }
    const structType = new List(new Field('item', new Struct([new Field('n', new Int32(), true)]), true));
    const read = build(structType, [[[1], null, [3]], [], null]) as Array<{ toArray(): unknown[] } | null>;
    expect(
      read.map((list) =>
        list === null
          ? null
          : [...list.toArray()].map((item) =>
              item === null ? null : { ...(item as { toJSON(): object }).toJSON() },
            ),
      ),
    ).toEqual([[{ n: 1 }, null, { n: 3 }], [], null]);
  });

  it('names the column when a list outgrows 32-bit offsets', () => {
    const builder = createColumnBuilder(new List(new Field('item', new Int8(), true)), 'payload.tags');
    const huge = { length: 2 ** 31 } as unknown as unknown[];
    // Only the count matters: the elements are never read past the limit.
    expect(() => builder.append(huge)).toThrow(ChunkerUnsupportedTypeError);
    expect(() => builder.append(huge)).toThrow(/field 'payload.tags': more than 2147483647 list elements/);
  });
});
