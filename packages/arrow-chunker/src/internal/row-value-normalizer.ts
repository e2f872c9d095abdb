import { DataType, type Field, type Int, type Timestamp, TimeUnit } from 'apache-arrow';
import { ChunkerRowSchemaMismatchError } from '../errors/chunker-row-schema-mismatch-error.js';
import { ChunkerUnsupportedTypeError } from '../errors/chunker-unsupported-type-error.js';
import { describeValueKind, isPlainObject } from './describe-value.js';
import { isJsonExtensionField } from './json-extension.js';
import { jsonText } from './json-text.js';
import { isWellFormedText, loneSurrogateIndex } from './well-formed-text.js';

/** What to do with row properties the schema does not know. */
export type ExtraFieldsPolicy = 'error' | 'ignore';

/**
 * Checks one value against its field and returns the form Arrow's builder for that type expects
 * (a safe integer number or a bigint for 64-bit ints, epoch milliseconds for timestamps, JSON text for
 * `arrow.json` fields, an array in field order for structs).
 * Throws ChunkerRowSchemaMismatchError naming the row and field path when the value does not fit.
 */
export type ValueNormalizer = (value: unknown, rowIndex: number) => unknown;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Builds the normalizer for `field` once, so per-value work is a single closure call. */
export function compileNormalizer(
  field: Field,
  path: string,
  extraFields: ExtraFieldsPolicy,
): ValueNormalizer {
  const convert = compileNonNull(field, path, extraFields);
  const nullable = field.nullable;
  return (value, rowIndex) => {
    if (value === null || value === undefined) {
      if (!nullable) {
        throw new ChunkerRowSchemaMismatchError(
          rowIndex,
          path,
          'null or missing value in a non-nullable field',
        );
      }
      return null;
    }
    return convert(value, rowIndex);
  };
}

function mismatch(
  rowIndex: number,
  path: string,
  expected: string,
  value: unknown,
): ChunkerRowSchemaMismatchError {
  return new ChunkerRowSchemaMismatchError(
    rowIndex,
    path,
    `expected ${expected}, got ${describeValueKind(value)}`,
  );
}

function compileNonNull(field: Field, path: string, extraFields: ExtraFieldsPolicy): ValueNormalizer {
  const type: DataType = field.type;
  if (DataType.isNull(type)) {
    return (value, rowIndex) => {
      throw mismatch(rowIndex, path, 'null (the field has type Null)', value);
    };
  }
  if (DataType.isBool(type)) {
    return (value, rowIndex) => {
      if (typeof value !== 'boolean') throw mismatch(rowIndex, path, 'a boolean', value);
      return value;
    };
  }
  if (DataType.isInt(type)) return compileInt(type as Int, path);
  if (DataType.isFloat(type)) {
    return (value, rowIndex) => {
      if (typeof value !== 'number') throw mismatch(rowIndex, path, 'a number', value);
      return value;
    };
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    if (isJsonExtensionField(field)) return compileJson(path);
    return compileString(path);
  }
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) {
    return (value, rowIndex) => {
      if (!(value instanceof Uint8Array)) throw mismatch(rowIndex, path, 'a Uint8Array', value);
      return value;
    };
  }
  if (DataType.isTimestamp(type)) {
    const unit = (type as Timestamp).unit;
    if (unit === TimeUnit.MICROSECOND) return compileEpochMicroseconds(path);
    return compileEpochMilliseconds(path, unit === TimeUnit.SECOND);
  }
  if (DataType.isDate(type)) return compileEpochMilliseconds(path, false);
  if (DataType.isDictionary(type)) {
    const valueType = type.dictionary;
    if (!DataType.isUtf8(valueType) && !DataType.isLargeUtf8(valueType)) {
      throw new ChunkerUnsupportedTypeError(
        path,
        `dictionaries of ${String(valueType)} are not supported for rows`,
      );
    }
    return compileString(path);
  }
  if (DataType.isStruct(type)) return compileStruct(type.children, path, extraFields);
  if (DataType.isList(type) || DataType.isLargeList(type)) {
    const element = type.children[0]!;
    const normalizeElement = compileNormalizer(element, `${path}[]`, extraFields);
    return (value, rowIndex) => {
      if (!Array.isArray(value)) throw mismatch(rowIndex, path, 'an array', value);
      const out = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index += 1)
        out[index] = normalizeElement(value[index], rowIndex);
      return out;
    };
  }
  throw new ChunkerUnsupportedTypeError(path, `Arrow type ${String(type)} is not supported for rows`);
}

/**
 * Strings must be well-formed UTF-16: a lone surrogate has no UTF-8 encoding, and Arrow's encoders
 * would store U+FFFD instead without a word, so such a value is refused rather than changed.
 */
function compileString(path: string): ValueNormalizer {
  return (value, rowIndex) => {
    if (typeof value !== 'string') throw mismatch(rowIndex, path, 'a string', value);
    if (!isWellFormedText(value)) {
      throw new ChunkerRowSchemaMismatchError(
        rowIndex,
        path,
        `the string has a lone surrogate (a UTF-16 code unit U+D800..U+DFFF without its pair) at index ${loneSurrogateIndex(value)}, which UTF-8 cannot encode; repair it first (e.g. value.toWellFormed() replaces it with U+FFFD)`,
      );
    }
    return value;
  };
}

function compileInt(type: Int, path: string): ValueNormalizer {
  if (type.bitWidth === 64) {
    const minimum = type.isSigned ? INT64_MIN : 0n;
    const maximum = type.isSigned ? INT64_MAX : UINT64_MAX;
    const label = type.isSigned ? 'a bigint in the Int64 range' : 'a bigint in the Uint64 range';
    return (value, rowIndex) => {
      // Safe integers stay numbers (the column builder splits them without a BigInt each).
      if (typeof value === 'number' && Number.isSafeInteger(value) && (type.isSigned || value >= 0)) {
        return value;
      }
      let asBigInt: bigint;
      if (typeof value === 'bigint') asBigInt = value;
      else if (typeof value === 'number' && Number.isInteger(value)) asBigInt = BigInt(value);
      else throw mismatch(rowIndex, path, `${label} (or an integer number)`, value);
      if (asBigInt < minimum || asBigInt > maximum) {
        throw new ChunkerRowSchemaMismatchError(rowIndex, path, `integer out of range for ${String(type)}`);
      }
      return asBigInt;
    };
  }
  const minimum = type.isSigned ? -(2 ** (type.bitWidth - 1)) : 0;
  const maximum = type.isSigned ? 2 ** (type.bitWidth - 1) - 1 : 2 ** type.bitWidth - 1;
  return (value, rowIndex) => {
    const asNumber = typeof value === 'bigint' ? Number(value) : value;
    if (typeof asNumber !== 'number' || !Number.isInteger(asNumber)) {
      throw mismatch(rowIndex, path, `an integer for ${String(type)}`, value);
    }
    if (asNumber < minimum || asNumber > maximum) {
      throw new ChunkerRowSchemaMismatchError(rowIndex, path, `integer out of range for ${String(type)}`);
    }
    return asNumber;
  };
}

function compileEpochMilliseconds(path: string, wholeSeconds: boolean): ValueNormalizer {
  return (value, rowIndex) => {
    let milliseconds: number;
    if (value instanceof Date) milliseconds = value.getTime();
    else if (typeof value === 'number') milliseconds = value;
    else if (typeof value === 'string') milliseconds = parseTimestamp(value);
    else throw mismatch(rowIndex, path, 'a Date, epoch milliseconds or an ISO 8601 string', value);
    if (!Number.isFinite(milliseconds)) {
      throw new ChunkerRowSchemaMismatchError(rowIndex, path, 'invalid date or time value');
    }
    // Arrow's builders convert with BigInt(), which rejects fractions; sub-millisecond input is truncated.
    const whole = Math.floor(milliseconds);
    return wholeSeconds ? whole - (((whole % 1000) + 1000) % 1000) : whole;
  };
}

/**
 * Whole microseconds since the epoch, for Timestamp(us) columns: a Date or epoch milliseconds (a fraction
 * keeps its microseconds), or an ISO 8601 string whose fraction digits beyond the millisecond are kept
 * (beyond the microsecond they are cut, as the column cannot hold them).
 */
function compileEpochMicroseconds(path: string): ValueNormalizer {
  return (value, rowIndex) => {
    let microseconds: number;
    if (value instanceof Date) microseconds = value.getTime() * 1000;
    else if (typeof value === 'number') microseconds = Math.floor(value * 1000);
    else if (typeof value === 'string') microseconds = parseTimestampMicroseconds(value);
    else throw mismatch(rowIndex, path, 'a Date, epoch milliseconds or an ISO 8601 string', value);
    if (!Number.isSafeInteger(microseconds)) {
      throw new ChunkerRowSchemaMismatchError(rowIndex, path, 'invalid date or time value, or out of range');
    }
    return microseconds;
  };
}

const FRACTION = /[T ]\d{2}:\d{2}:\d{2}\.(\d+)/;

function parseTimestampMicroseconds(text: string): number {
  const milliseconds = parseTimestamp(text);
  const digits = FRACTION.exec(text)?.[1];
  // Date.parse keeps the first three fraction digits, counted forward from the second as written, so the
  // next three add on top whatever the sign of the epoch value.
  const extra = digits === undefined || digits.length <= 3 ? 0 : Number(digits.slice(3, 6).padEnd(3, '0'));
  return milliseconds * 1000 + extra;
}

// ISO 8601 date-time without a zone ("timestamp without time zone" in Airbyte): JS would read it as
// local time, which makes the stored instant depend on the machine's time zone.
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function parseTimestamp(text: string): number {
  if (ZONELESS_DATE_TIME.test(text)) return Date.parse(`${text.replace(' ', 'T')}Z`);
  return Date.parse(text);
}

function compileJson(path: string): ValueNormalizer {
  return (value, rowIndex) => {
    let text: string | undefined;
    try {
      text = jsonText(value);
    } catch (cause) {
      throw new ChunkerRowSchemaMismatchError(rowIndex, path, 'value cannot be serialised as JSON', {
        cause,
      });
    }
    if (text === undefined) throw mismatch(rowIndex, path, 'a JSON-serialisable value', value);
    return text;
  };
}

function compileStruct(children: Field[], path: string, extraFields: ExtraFieldsPolicy): ValueNormalizer {
  const names = children.map((child) => child.name);
  const readers = names.map(ownValueReader);
  const known = new Set(names);
  const normalizers = children.map((child) =>
    compileNormalizer(child, path === '' ? child.name : `${path}.${child.name}`, extraFields),
  );
  const checkExtra = extraFields === 'error';
  // The normalised struct is an array in field order: Arrow's struct builder reads an object by name
  // but first switches on `value.constructor`, so a field named `constructor` (or `__proto__`) holding
  // data would be misread; an array is read by position whatever the names.
  return (value, rowIndex) => {
    if (!isPlainObject(value))
      throw mismatch(rowIndex, path === '' ? '(row)' : path, 'a plain object', value);
    const out = new Array<unknown>(names.length);
    for (let index = 0; index < names.length; index += 1) {
      out[index] = normalizers[index]!(readers[index]!(value), rowIndex);
    }
    if (checkExtra) {
      for (const key in value) {
        if (!known.has(key) && value[key] !== undefined && Object.hasOwn(value, key)) {
          throw new ChunkerRowSchemaMismatchError(
            rowIndex,
            path === '' ? key : `${path}.${key}`,
            'the schema has no such field (pass extraFields: "ignore" to drop unknown fields)',
          );
        }
      }
    }
    return out;
  };
}

/**
 * Reads property `name` of a row object as an own property only. For names Object.prototype also has
 * (`__proto__`, `constructor`, `toString`, ...), a row without that property would otherwise yield
 * the inherited value (the prototype itself, a function) instead of a missing value.
 */
export function ownValueReader(name: string): (object: Record<string, unknown>) => unknown {
  if (!(name in Object.prototype)) return (object) => object[name];
  return (object) => (Object.hasOwn(object, name) ? object[name] : undefined);
}
