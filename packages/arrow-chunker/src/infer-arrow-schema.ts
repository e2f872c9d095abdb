import {
  Binary,
  Bool,
  type DataType,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Null,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { checkRowArray } from './internal/check-row-inputs.js';
import { describeValueKind, isPlainObject } from './internal/describe-value.js';
import { integersOption } from './internal/validate-options.js';
import { isWellFormedText, loneSurrogateIndex } from './internal/well-formed-text.js';

/** Options of {@link inferArrowSchema} (and of row conversion when it infers). */
export interface InferSchemaOptions {
  /**
   * Arrow type for columns whose JS numbers are all integers. Defaults to `'float64'`: every JS number
   * is a float64, so Float64 holds any of them exactly and keeps the schema stable from batch to batch
   * (a column that happens to hold only integers in one batch does not change type in the next).
   * `'int32'` picks Int32 when all values fit it (else Float64); `'int64'` picks Int64 when all are
   * safe integers (else Float64).
   */
  integers?: 'float64' | 'int32' | 'int64';
}

type ValueKind = 'number' | 'bigint' | 'string' | 'boolean' | 'date' | 'binary' | 'object' | 'array';

/** What has been seen in one column (or nested position) across the rows. */
interface ColumnSketch {
  /** First row index at which each kind was seen, for error messages. */
  readonly firstRowOfKind: Map<ValueKind, number>;
  allIntegers: boolean;
  allInt32: boolean;
  allSafeIntegers: boolean;
  children: Map<string, ColumnSketch> | undefined;
  element: ColumnSketch | undefined;
}

/**
 * Infers an Arrow schema from plain row objects. Fields appear in first-seen order and are all
 * nullable (a row may omit any property). Mapping: number -> Float64 (see
 * {@link InferSchemaOptions.integers}), bigint -> Int64 (numbers mixed with bigints -> Int64 when all are
 * integers), string -> Utf8, boolean -> Bool, Date -> Timestamp(ms, "UTC"), Uint8Array -> Binary, plain
 * object -> Struct (children merged across rows), array -> List (element types merged), only
 * null/undefined -> Null.
 *
 * @throws ChunkerUnsupportedTypeError naming the field path and rows for values with no mapping
 * (functions, symbols, class instances, invalid Dates) or a column that mixes kinds.
 */
export function inferArrowSchema(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: InferSchemaOptions = {},
): Schema {
  return inferArrowSchemaWithRowOffset(rows, options, 0);
}

/**
 * {@link inferArrowSchema} for rows that start at `firstRowIndex` of a longer sequence, so that error
 * messages name the row as the caller counts it.
 * @internal
 */
export function inferArrowSchemaWithRowOffset(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: InferSchemaOptions,
  firstRowIndex: number,
): Schema {
  checkRowArray(rows);
  const root = new Map<string, ColumnSketch>();
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const rowIndex = firstRowIndex + index;
    if (!isPlainObject(row)) {
      throw new ChunkerUnsupportedTypeError(
        '(row)',
        `row ${rowIndex} is ${describeValueKind(row)}, not a plain object`,
      );
    }
    observeObject(root, row, rowIndex, '');
  }
  const integers = integersOption(options.integers);
  return new Schema(resolveFields(root, '', integers));
}

function newSketch(): ColumnSketch {
  return {
    firstRowOfKind: new Map(),
    allIntegers: true,
    allInt32: true,
    allSafeIntegers: true,
    children: undefined,
    element: undefined,
  };
}

function observeObject(
  sketches: Map<string, ColumnSketch>,
  object: Record<string, unknown>,
  rowIndex: number,
  path: string,
): void {
  for (const key in object) {
    // Own properties only: a key inherited through a (polluted) prototype is not row data.
    if (!Object.hasOwn(object, key)) continue;
    let sketch = sketches.get(key);
    if (sketch === undefined) {
      if (!isWellFormedText(key)) {
        throw new ChunkerUnsupportedTypeError(
          path === '' ? '(row)' : path,
          `row ${rowIndex} has a property name with a lone surrogate (U+D800..U+DFFF without its pair) at index ${loneSurrogateIndex(key)}, which cannot be an Arrow field name (UTF-8); rename it first`,
        );
      }
      sketch = newSketch();
      sketches.set(key, sketch);
    }
    observeValue(sketch, object[key], rowIndex, path === '' ? key : `${path}.${key}`);
  }
}

function observeValue(sketch: ColumnSketch, value: unknown, rowIndex: number, path: string): void {
  if (value === null || value === undefined) return;
  const kind = kindOf(value, rowIndex, path);
  if (!sketch.firstRowOfKind.has(kind)) sketch.firstRowOfKind.set(kind, rowIndex);
  if (kind === 'number') {
    const number = value as number;
    if (!Number.isInteger(number)) {
      sketch.allIntegers = false;
      sketch.allInt32 = false;
      sketch.allSafeIntegers = false;
    } else {
      if (number < -2147483648 || number > 2147483647) sketch.allInt32 = false;
      if (!Number.isSafeInteger(number)) sketch.allSafeIntegers = false;
    }
  } else if (kind === 'object') {
    sketch.children ??= new Map();
    observeObject(sketch.children, value as Record<string, unknown>, rowIndex, path);
  } else if (kind === 'array') {
    sketch.element ??= newSketch();
    const elementPath = `${path}[]`;
    for (const element of value as unknown[]) observeValue(sketch.element, element, rowIndex, elementPath);
  }
}

function kindOf(value: unknown, rowIndex: number, path: string): ValueKind {
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      break;
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new ChunkerUnsupportedTypeError(path, `row ${rowIndex} holds an invalid Date`);
    }
    return 'date';
  }
  if (value instanceof Uint8Array) return 'binary';
  if (isPlainObject(value)) return 'object';
  throw new ChunkerUnsupportedTypeError(
    path,
    `row ${rowIndex} holds ${describeValueKind(value)}, which has no Arrow mapping (convert it first)`,
  );
}

function resolveFields(
  sketches: Map<string, ColumnSketch>,
  parentPath: string,
  integers: 'float64' | 'int32' | 'int64',
): Field[] {
  const fields: Field[] = [];
  for (const [name, sketch] of sketches) {
    const path = parentPath === '' ? name : `${parentPath}.${name}`;
    fields.push(new Field(name, resolveType(sketch, path, integers), true));
  }
  return fields;
}

function resolveType(sketch: ColumnSketch, path: string, integers: 'float64' | 'int32' | 'int64'): DataType {
  const kinds = [...sketch.firstRowOfKind.keys()];
  if (kinds.length === 0) return new Null();
  if (kinds.length === 2 && sketch.firstRowOfKind.has('number') && sketch.firstRowOfKind.has('bigint')) {
    if (sketch.allSafeIntegers) return new Int64();
    throw new ChunkerUnsupportedTypeError(
      path,
      `mixes bigint (row ${sketch.firstRowOfKind.get('bigint')}) with fractional or unsafe numbers (from row ${sketch.firstRowOfKind.get('number')})`,
    );
  }
  if (kinds.length > 1) {
    const seen = kinds.map((kind) => `${kind} (row ${sketch.firstRowOfKind.get(kind)})`).join(', ');
    throw new ChunkerUnsupportedTypeError(path, `mixes value kinds: ${seen}; give an explicit schema`);
  }
  switch (kinds[0]!) {
    case 'number':
      if (integers === 'int32' && sketch.allInt32) return new Int32();
      if (integers === 'int64' && sketch.allSafeIntegers) return new Int64();
      return new Float64();
    case 'bigint':
      return new Int64();
    case 'string':
      return new Utf8();
    case 'boolean':
      return new Bool();
    case 'date':
      return new TimestampMillisecond('UTC');
    case 'binary':
      return new Binary();
    case 'object':
      return new Struct(resolveFields(sketch.children ?? new Map(), path, integers));
    case 'array':
      return new List(
        new Field('item', resolveType(sketch.element ?? newSketch(), `${path}[]`, integers), true),
      );
  }
}
