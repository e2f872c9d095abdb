import {
  type Data,
  DataType,
  type Field,
  type Float,
  type Int,
  type List,
  makeBuilder,
  makeData,
  Precision,
  type Struct,
  type Timestamp,
  TimeUnit,
} from 'apache-arrow';
import { ChunkerUnsupportedTypeError } from '../errors/chunker-unsupported-type-error.js';
import { allocateUninitialisedBytes } from './allocate-bytes.js';

/**
 * Accumulates already-normalised values of one column and produces its Arrow Data. Flat columns of
 * the common types are written straight into typed arrays: apache-arrow's generic builders keep every
 * pending string in a Map and encode strings one by one, which made row conversion several times slower
 * than JSON.stringify of the same rows.
 */
export interface ColumnBuilder {
  append(value: unknown): void;
  finish(): Data;
}

const NULL_VALUES = [null, undefined];
const INITIAL_CAPACITY = 1024;
const TWO_TO_32 = 2 ** 32;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Picks the fast builder for `type` when there is one, else wraps apache-arrow's builder. `path`
 * names the column in errors (`address.city`, `tags[]`).
 */
export function createColumnBuilder(type: DataType, path = ''): ColumnBuilder {
  if (DataType.isFloat(type) && (type as Float).precision !== Precision.HALF) {
    const arrayType = (type as Float).ArrayType as unknown as new (length: number) => Float64Array;
    return new NumberColumnBuilder(type, arrayType);
  }
  if (DataType.isInt(type) && (type as Int).bitWidth <= 32) {
    const arrayType = (type as Int).ArrayType as unknown as new (length: number) => Int32Array;
    return new NumberColumnBuilder(type, arrayType);
  }
  if (DataType.isTimestamp(type)) {
    const unit = (type as Timestamp).unit;
    if (unit === TimeUnit.MILLISECOND || unit === TimeUnit.MICROSECOND || unit === TimeUnit.SECOND) {
      // Normalised values are whole units, except SECOND's, which are whole seconds in milliseconds.
      return new EpochColumnBuilder(type, unit === TimeUnit.SECOND ? 1000 : 1);
    }
  }
  if (DataType.isInt(type) && (type as Int).bitWidth === 64) return new Int64ColumnBuilder(type);
  if (DataType.isBool(type)) return new BoolColumnBuilder(type);
  if (DataType.isUtf8(type)) return new Utf8ColumnBuilder(type);
  // Nested types get builders of ours for their children too, so that the whole tree takes the fast
  // path and 64-bit integers always reach Int64ColumnBuilder (which takes numbers as well as bigints).
  if (DataType.isStruct(type)) return new StructColumnBuilder(type, path);
  if (DataType.isList(type)) return new ListColumnBuilder(type, path, false);
  if (DataType.isLargeList(type)) return new ListColumnBuilder(type, path, true);
  return new ArrowColumnBuilder(type);
}

/** Validity bitmap shared by the fast builders; allocated at the first null only. */
class Validity {
  private bitmap: Uint8Array | undefined;
  nullCount = 0;

  markNull(index: number): void {
    if (this.bitmap === undefined) {
      this.bitmap = new Uint8Array(Math.max(64, (index >> 3) + 64));
      this.bitmap.fill(0xff);
    }
    this.ensure(index);
    this.bitmap[index >> 3]! &= ~(1 << (index & 7));
    this.nullCount += 1;
  }

  /** The bitmap for `length` values, or undefined when there were no nulls. */
  take(length: number): Uint8Array | undefined {
    if (this.bitmap === undefined) return undefined;
    this.ensure(length);
    const bytes = (length + 7) >> 3;
    const out = this.bitmap.slice(0, bytes);
    const tailBits = length & 7;
    // Bits past the last value are set by the fill; Arrow does not read them, but keep them clean.
    if (tailBits !== 0) out[bytes - 1]! &= (1 << tailBits) - 1;
    return out;
  }

  private ensure(index: number): void {
    const bitmap = this.bitmap!;
    if (index >> 3 < bitmap.length) return;
    const grown = new Uint8Array(Math.max(bitmap.length * 2, (index >> 3) + 64));
    grown.fill(0xff);
    grown.set(bitmap);
    this.bitmap = grown;
  }
}

class NumberColumnBuilder implements ColumnBuilder {
  private values: Float64Array | Int32Array;
  private length = 0;
  private readonly validity = new Validity();

  constructor(
    private readonly type: DataType,
    private readonly arrayType: new (length: number) => Float64Array | Int32Array,
  ) {
    this.values = new arrayType(INITIAL_CAPACITY);
  }

  append(value: unknown): void {
    const index = this.length;
    if (index === this.values.length) this.values = grow(this.values, this.arrayType);
    if (value === null || value === undefined) this.validity.markNull(index);
    else this.values[index] = value as number;
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const nullBitmap = this.validity.take(length);
    return makeData({
      type: this.type as Float,
      length,
      nullCount: this.validity.nullCount,
      nullBitmap,
      data: this.values.slice(0, length) as Float64Array,
    });
  }
}

/** Timestamps in seconds, milliseconds or microseconds, written as two 32-bit halves to avoid a BigInt per value. */
class EpochColumnBuilder implements ColumnBuilder {
  private words = new Int32Array(INITIAL_CAPACITY * 2);
  private length = 0;
  private readonly validity = new Validity();

  constructor(
    private readonly type: DataType,
    private readonly millisecondsPerUnit: number,
  ) {}

  append(value: unknown): void {
    const index = this.length;
    if (index * 2 === this.words.length) this.words = grow(this.words, Int32Array);
    if (value === null || value === undefined) {
      this.validity.markNull(index);
    } else {
      // Whole units of the column (for SECOND: whole seconds, given in milliseconds).
      const units = (value as number) / this.millisecondsPerUnit;
      const high = Math.floor(units / TWO_TO_32);
      this.words[index * 2] = units - high * TWO_TO_32;
      this.words[index * 2 + 1] = high;
    }
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const words = this.words.slice(0, length * 2);
    return makeData({
      type: this.type as Timestamp,
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      data: new BigInt64Array(words.buffer, 0, length),
    });
  }
}

class BoolColumnBuilder implements ColumnBuilder {
  private bits = new Uint8Array(INITIAL_CAPACITY >> 3);
  private length = 0;
  private readonly validity = new Validity();

  constructor(private readonly type: DataType) {}

  append(value: unknown): void {
    const index = this.length;
    if (index >> 3 === this.bits.length) this.bits = grow(this.bits, Uint8Array);
    if (value === null || value === undefined) this.validity.markNull(index);
    else if (value === true) this.bits[index >> 3]! |= 1 << (index & 7);
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    return makeData({
      type: this.type as DataType & { TType: never },
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      data: this.bits.slice(0, (length + 7) >> 3),
    } as unknown as Parameters<typeof makeData>[0]) as Data;
  }
}

/** Strings are kept as JS strings and encoded in one pass at the end. */
class Utf8ColumnBuilder implements ColumnBuilder {
  private strings: string[] = [];
  private readonly validity = new Validity();

  constructor(private readonly type: DataType) {}

  append(value: unknown): void {
    if (value === null || value === undefined) {
      this.validity.markNull(this.strings.length);
      this.strings.push('');
    } else {
      this.strings.push(value as string);
    }
  }

  finish(): Data {
    const strings = this.strings;
    const length = strings.length;
    const offsets = new Int32Array(length + 1);
    let total = 0;
    // Joining would pair a string's trailing lone high surrogate with the next string's low surrogate,
    // changing both encodings; such columns are encoded string by string instead.
    let endsWithHighSurrogate = false;
    for (let index = 0; index < length; index += 1) {
      const value = strings[index]!;
      total += Buffer.byteLength(value, 'utf8');
      offsets[index + 1] = total;
      const last = value.charCodeAt(value.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) endsWithHighSurrogate = true;
    }
    const bytes = allocateUninitialisedBytes(total);
    const target = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (endsWithHighSurrogate) {
      for (let index = 0; index < length; index += 1) target.write(strings[index]!, offsets[index]!, 'utf8');
    } else {
      target.write(strings.join(''), 0, 'utf8');
    }
    return makeData({
      type: this.type as DataType & { TType: never },
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      valueOffsets: offsets,
      data: bytes,
    } as unknown as Parameters<typeof makeData>[0]) as Data;
  }
}

/**
 * Int64 and Uint64: a safe integer number or a bigint (the normalizer range-checks both), written as
 * two 32-bit halves so that the common case, a number, needs no BigInt.
 */
class Int64ColumnBuilder implements ColumnBuilder {
  private words = new Int32Array(INITIAL_CAPACITY * 2);
  private length = 0;
  private readonly validity = new Validity();

  constructor(private readonly type: DataType) {}

  append(value: unknown): void {
    const index = this.length;
    if (index * 2 === this.words.length) this.words = grow(this.words, Int32Array);
    if (value === null || value === undefined) {
      this.validity.markNull(index);
    } else if (typeof value === 'number') {
      const high = Math.floor(value / TWO_TO_32);
      this.words[index * 2] = value - high * TWO_TO_32;
      this.words[index * 2 + 1] = high;
    } else {
      const bits = value as bigint;
      this.words[index * 2] = Number(BigInt.asIntN(32, bits));
      this.words[index * 2 + 1] = Number(BigInt.asIntN(32, bits >> 32n));
    }
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const words = this.words.slice(0, length * 2);
    const signed = (this.type as Int).isSigned;
    return makeData({
      type: this.type as Int,
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      data: signed ? new BigInt64Array(words.buffer, 0, length) : new BigUint64Array(words.buffer, 0, length),
    } as unknown as Parameters<typeof makeData>[0]) as Data;
  }
}

/** A struct's children, each with its own builder; a null struct appends a null to every child. */
class StructColumnBuilder implements ColumnBuilder {
  private readonly children: ColumnBuilder[];
  private length = 0;
  private readonly validity = new Validity();

  constructor(
    private readonly type: DataType,
    path: string,
  ) {
    this.children = type.children.map((field) =>
      createColumnBuilder(field.type, path === '' ? field.name : `${path}.${field.name}`),
    );
  }

  /** `value` is the normaliser's form of a struct: its field values in field order. */
  append(value: unknown): void {
    const children = this.children;
    if (value === null || value === undefined) {
      this.validity.markNull(this.length);
      for (const child of children) child.append(null);
    } else {
      const fields = value as readonly unknown[];
      for (let index = 0; index < children.length; index += 1) children[index]!.append(fields[index]);
    }
    this.length += 1;
  }

  finish(): Data {
    const length = this.length;
    return makeData({
      type: this.type as Struct,
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      children: this.children.map((child) => child.finish()),
    });
  }
}

/** List and LargeList: offsets into one child column of every element. */
class ListColumnBuilder implements ColumnBuilder {
  private readonly child: ColumnBuilder;
  private offsets = new Float64Array(INITIAL_CAPACITY + 1);
  private length = 0;
  private elements = 0;
  private readonly validity = new Validity();

  constructor(
    private readonly type: DataType,
    private readonly path: string,
    private readonly large: boolean,
  ) {
    this.child = createColumnBuilder((type.children[0] as Field).type, `${path}[]`);
  }

  append(value: unknown): void {
    const index = this.length;
    if (index + 1 === this.offsets.length) this.offsets = grow(this.offsets, Float64Array);
    if (value === null || value === undefined) {
      this.validity.markNull(index);
    } else {
      const elements = value as readonly unknown[];
      // Checked before anything is appended, so that a refused list leaves the column as it was.
      if (!this.large && this.elements + elements.length > INT32_MAX) {
        throw new ChunkerUnsupportedTypeError(
          this.path,
          `more than ${INT32_MAX} list elements in one batch, beyond List's 32-bit offsets; use smaller batches or LargeList`,
        );
      }
      for (let element = 0; element < elements.length; element += 1) this.child.append(elements[element]);
      this.elements += elements.length;
    }
    this.offsets[index + 1] = this.elements;
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const counts = this.offsets.subarray(0, length + 1);
    const valueOffsets = this.large
      ? BigInt64Array.from(counts, (count) => BigInt(count))
      : Int32Array.from(counts);
    return makeData({
      type: this.type as List,
      length,
      nullCount: this.validity.nullCount,
      nullBitmap: this.validity.take(length),
      valueOffsets: valueOffsets as Int32Array,
      child: this.child.finish(),
    });
  }
}

/** Any other type, through apache-arrow's own builder (dictionary, binary, large strings, ...). */
class ArrowColumnBuilder implements ColumnBuilder {
  private readonly builder;

  constructor(type: DataType) {
    this.builder = makeBuilder({ type, nullValues: NULL_VALUES });
  }

  append(value: unknown): void {
    this.builder.append(value);
  }

  finish(): Data {
    return this.builder.finish().flush();
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(
  array: T,
  arrayType: new (length: number) => T,
): T {
  const grown = new arrayType(array.length * 2);
  grown.set(array);
  return grown;
}
