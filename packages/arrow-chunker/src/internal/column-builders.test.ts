import {
  Bool,
  type DataType,
  Float16,
  Float64,
  Int8,
  Int32,
  makeVector,
  TimestampMillisecond,
  TimestampSecond,
  Uint32,
  Utf8,
} from 'apache-arrow';
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
});
