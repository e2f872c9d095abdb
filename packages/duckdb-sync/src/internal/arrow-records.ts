import type { JsonObject } from '@sdk/stream-cdk';
import { DataType, type RecordBatch, type Schema, TimeUnit, type Vector } from 'apache-arrow';

/**
 * The JSON Schema (as the sync's column types read it, see `columnTypeForJsonSchema`) of an Arrow
 * schema: one property per field.
 *
 * | Arrow | JSON Schema | DuckDB column |
 * |---|---|---|
 * | Int8 to Int64, Uint8 to Uint32 | `integer` | BIGINT (exact) |
 * | Uint64 | `integer`, `big_integer` | HUGEINT |
 * | Float16/32/64 | `number` | DOUBLE |
 * | Decimal | `string` | VARCHAR: the exact decimal text (`123.45`), to cast with `::DECIMAL(p, s)` |
 * | Bool | `boolean` | BOOLEAN |
 * | Utf8, LargeUtf8 | `string` | VARCHAR |
 * | Timestamp with a time zone | `date-time` | TIMESTAMPTZ (microseconds; nanoseconds are cut) |
 * | Timestamp without one | `date-time`, `timestamp_without_timezone` | TIMESTAMP |
 * | Date | `date` | DATE |
 * | Binary | `string` | VARCHAR, base64 |
 * | Struct, Map, List, Time, Duration, Interval, Null, unions | none | JSON (integers exact) |
 * | Dictionary | its values' type | as that type |
 */
export function jsonSchemaOfArrowSchema(schema: Schema): JsonObject {
  const properties: Record<string, JsonObject> = {};
  for (const field of schema.fields) properties[field.name] = jsonSchemaOfArrowType(field.type);
  return { type: 'object', properties };
}

function jsonSchemaOfArrowType(type: DataType): JsonObject {
  if (DataType.isDictionary(type)) return jsonSchemaOfArrowType(type.dictionary);
  if (DataType.isInt(type)) {
    return type.bitWidth === 64 && !type.isSigned
      ? { type: 'integer', airbyte_type: 'big_integer' }
      : { type: 'integer' };
  }
  if (DataType.isFloat(type)) return { type: 'number' };
  if (DataType.isDecimal(type) || DataType.isUtf8(type) || DataType.isLargeUtf8(type))
    return { type: 'string' };
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type))
    return { type: 'string' };
  if (DataType.isBool(type)) return { type: 'boolean' };
  if (DataType.isTimestamp(type)) {
    return type.timezone
      ? { type: 'string', format: 'date-time' }
      : { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
  }
  if (DataType.isDate(type)) return { type: 'string', format: 'date' };
  return {};
}

type Read = (vector: Vector, index: number) => unknown;

/**
 * The rows of a record batch as objects of JSON-like values the sync's column conversion takes:
 * integers as numbers or bigints (exact), timestamps as ISO 8601 text with microseconds, dates as
 * `YYYY-MM-DD`, decimals as exact text, binary as base64, nested values as plain objects and arrays.
 * Nulls are null.
 */
export function recordsOfBatch(batch: RecordBatch): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(batch.numRows);
  for (let index = 0; index < batch.numRows; index += 1) rows[index] = {};
  batch.schema.fields.forEach((field, column) => {
    const vector = batch.getChildAt(column);
    if (vector === null) return;
    const read = readerOf(field.type);
    const name = field.name;
    for (let index = 0; index < batch.numRows; index += 1) {
      (rows[index] as Record<string, unknown>)[name] = vector.isValid(index) ? read(vector, index) : null;
    }
  });
  return rows;
}

const MICROS_PER_UNIT: Readonly<Record<number, bigint>> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1n,
};

function readerOf(type: DataType): Read {
  if (DataType.isTimestamp(type)) {
    const zone = Boolean(type.timezone);
    const unit = type.unit;
    // The raw 64-bit values: `get` gives milliseconds as a double, which cannot hold every microsecond.
    return (vector, index) => {
      const raw = BigInt((vector.data[0]?.values as BigInt64Array | undefined)?.[index] ?? 0n);
      const micros = unit === TimeUnit.NANOSECOND ? raw / 1_000n : raw * (MICROS_PER_UNIT[unit] ?? 1n);
      return isoOfMicros(micros, zone);
    };
  }
  if (DataType.isDate(type)) {
    return (vector, index) => isoDate(millisecondsOf(vector.get(index)));
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (vector, index) => decimalText(String(vector.get(index)), scale);
  }
  if (DataType.isDictionary(type) && DataType.isTimestamp(type.dictionary)) {
    // Dictionary values come through `get` only (milliseconds as a double).
    const zone = Boolean(type.dictionary.timezone);
    return (vector, index) => isoOfMicros(BigInt(Math.round(millisecondsOf(vector.get(index)) * 1000)), zone);
  }
  if (DataType.isDictionary(type) && DataType.isDate(type.dictionary))
    return (vector, index) => isoDate(millisecondsOf(vector.get(index)));
  if (DataType.isDictionary(type) && DataType.isDecimal(type.dictionary)) {
    const scale = type.dictionary.scale;
    return (vector, index) => decimalText(String(vector.get(index)), scale);
  }
  const simple =
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isBool(type) ||
    DataType.isUtf8(type) ||
    DataType.isLargeUtf8(type) ||
    (DataType.isDictionary(type) &&
      (DataType.isInt(type.dictionary) ||
        DataType.isFloat(type.dictionary) ||
        DataType.isBool(type.dictionary) ||
        DataType.isUtf8(type.dictionary) ||
        DataType.isLargeUtf8(type.dictionary)));
  if (simple) return (vector, index) => vector.get(index);
  return (vector, index) => plain(vector.get(index));
}

/** A nested Arrow value as plain JSON-like data (bigints kept, dates as ISO text, bytes as base64). */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>);
  if (Array.isArray(value)) return value.map(plain);
  const candidate = value as { data?: unknown; toJSON?: () => unknown; [Symbol.iterator]?: unknown };
  // A Vector (a list's items): its Data chunks in `data`. (Rows of a struct are iterable too, as pairs.)
  if (Array.isArray(candidate.data) && typeof candidate[Symbol.iterator] === 'function')
    return Array.from(value as Iterable<unknown>, plain);
  // A StructRow or MapRow: its fields through toJSON.
  const object = typeof candidate.toJSON === 'function' ? candidate.toJSON() : value;
  if (object instanceof Map) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of object) result[String(key)] = plain(item);
    return result;
  }
  if (typeof object !== 'object' || object === null) return object;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) result[key] = plain(item);
  return result;
}

/** Microseconds since the epoch as ISO 8601 (`Z` when the timestamp has a zone); beyond `Date`'s range, the number. */
function isoOfMicros(micros: bigint, zone: boolean): string {
  let seconds = micros / 1_000_000n;
  let fraction = micros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  // Out of range: text the column cannot read, so the value is kept in _ab_meta.
  if (Number.isNaN(date.getTime())) return String(micros);
  const text = date.toISOString();
  return `${text.slice(0, -5)}.${String(fraction).padStart(6, '0')}${zone ? 'Z' : ''}`;
}

/** A date or timestamp `get` result (milliseconds, or a Date in some Arrow versions) as milliseconds. */
function millisecondsOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number(value);
}

function isoDate(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().slice(0, 10);
}

/** The unscaled integer text of a decimal, with its scale applied: ("-12345", 2) is "-123.45". */
function decimalText(unscaled: string, scale: number): string {
  if (scale <= 0) return scale === 0 ? unscaled : `${unscaled}${'0'.repeat(-scale)}`;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
