import {
  type Data,
  DataType,
  type Dictionary,
  Field,
  makeVector,
  type RecordBatch,
  type Table,
  UnionMode,
} from 'apache-arrow';
import { ChunkerError } from './errors/chunker-error.js';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { isJsonExtensionField } from './internal/json-extension.js';

/** One row as a plain object, keyed by field name. */
export type ArrowRow = Record<string, unknown>;

type CellReader = (index: number) => unknown;

/**
 * Converts a RecordBatch into plain row objects (the inverse of `rowsToRecordBatch`). Values: Int64
 * and Uint64 as bigint; other ints and floats as number; Utf8 and Dictionary<Utf8> as string;
 * `arrow.json` fields parsed back from JSON; Bool as boolean; Timestamp and Date as Date (millisecond
 * precision); Binary as Uint8Array (a view into the batch's memory); Struct as a plain object; List and
 * FixedSizeList as an array; Map as a plain object keyed by the keys as strings; Dictionary and Union as
 * their values; nulls as null. Other types come out as apache-arrow returns them.
 *
 * How rows are built: every row, struct and map value is a plain object (prototype `Object.prototype`)
 * whose fields are its own enumerable properties, whatever their names. A field named `__proto__` is
 * created with `Object.defineProperty`, never assigned, so data never sets an object's prototype;
 * `constructor`, `prototype`, `toString`, the empty string and every other name are ordinary own
 * properties. (Check for a field with `Object.hasOwn(row, name)`, not `name in row`.)
 *
 * @throws ChunkerUnsupportedTypeError naming the field and row for a value JS cannot represent
 * (a timestamp outside the Date range, an int64 date past 2^53, invalid `arrow.json` text), or for a
 * batch of more rows than a JS array holds.
 */
export function recordBatchToRows(batch: RecordBatch): ArrowRow[] {
  const fields = batch.schema.fields;
  const readers = fields.map((field, index) => compileReader(field, batch.data.children[index]!, field.name));
  const names = fields.map((field) => field.name);
  const protoColumn = names.indexOf(PROTO_KEY);
  if (batch.numRows > MAX_ARRAY_LENGTH) {
    throw new ChunkerUnsupportedTypeError(
      '(row)',
      `the batch has ${batch.numRows} rows, more than a JS array holds (${MAX_ARRAY_LENGTH})`,
    );
  }
  const rows = new Array<ArrowRow>(batch.numRows);
  let rowIndex = 0;
  let column = 0;
  try {
    for (; rowIndex < batch.numRows; rowIndex += 1) {
      const row: ArrowRow = {};
      for (column = 0; column < names.length; column += 1) {
        if (column === protoColumn) defineOwn(row, PROTO_KEY, readers[column]!(rowIndex));
        else row[names[column]!] = readers[column]!(rowIndex);
      }
      rows[rowIndex] = row;
    }
  } catch (cause) {
    if (ChunkerError.isInstance(cause)) throw cause;
    // apache-arrow throws plain errors for values JS cannot hold (e.g. int64 timestamps past 2^53).
    throw new ChunkerUnsupportedTypeError(
      names[column] ?? '(row)',
      `row ${rowIndex}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return rows;
}

/** Converts every batch of a Table into plain row objects, in order. See {@link recordBatchToRows}. */
export function tableToRows(table: Table): ArrowRow[] {
  const rows: ArrowRow[] = [];
  for (const batch of table.batches) {
    for (const row of recordBatchToRows(batch)) rows.push(row);
  }
  return rows;
}

const PROTO_KEY = '__proto__';
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/** Sets `object[key]` as an own data property, as assignment does for every key but `__proto__`. */
function defineOwn(object: ArrowRow, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function setOwn(object: ArrowRow, key: string, value: unknown): void {
  if (key === PROTO_KEY) defineOwn(object, key, value);
  else object[key] = value;
}

function compileReader(field: Field, data: Data, path: string): CellReader {
  const type: DataType = field.type;
  if (DataType.isNull(type)) return () => null;
  if (DataType.isStruct(type)) {
    const childFields = type.children;
    const childReaders = childFields.map((child, index) =>
      compileReader(child, data.children[index]!, `${path}.${child.name}`),
    );
    const childNames = childFields.map((child) => child.name);
    const protoChild = childNames.indexOf(PROTO_KEY);
    return (index) => {
      if (!data.getValid(index)) return null;
      const object: ArrowRow = {};
      for (let child = 0; child < childNames.length; child += 1) {
        if (child === protoChild) defineOwn(object, PROTO_KEY, childReaders[child]!(index));
        else object[childNames[child]!] = childReaders[child]!(index);
      }
      return object;
    };
  }
  if (DataType.isList(type) || DataType.isLargeList(type)) {
    const readElement = compileReader(type.children[0]!, data.children[0]!, `${path}[]`);
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    return (index) => {
      if (!data.getValid(index)) return null;
      const begin = Number(offsets[index]);
      const end = Number(offsets[index + 1]);
      const out = new Array<unknown>(end - begin);
      for (let element = begin; element < end; element += 1) out[element - begin] = readElement(element);
      return out;
    };
  }
  if (DataType.isFixedSizeList(type)) {
    const readElement = compileReader(type.children[0]!, data.children[0]!, `${path}[]`);
    const listSize = type.listSize;
    return (index) => {
      if (!data.getValid(index)) return null;
      const out = new Array<unknown>(listSize);
      for (let element = 0; element < listSize; element += 1)
        out[element] = readElement(index * listSize + element);
      return out;
    };
  }
  if (DataType.isMap(type)) {
    const entries = data.children[0]!;
    const entryFields = type.children[0]!.type.children;
    const keys = makeVector(entries.children[0]!);
    const readValue = compileReader(entryFields[1]!, entries.children[1]!, `${path}{}`);
    const offsets = data.valueOffsets as ArrayLike<number>;
    return (index) => {
      if (!data.getValid(index)) return null;
      const object: ArrowRow = {};
      const end = offsets[index + 1]!;
      for (let entry = offsets[index]!; entry < end; entry += 1) {
        setOwn(object, String(keys.get(entry)), readValue(entry));
      }
      return object;
    };
  }
  if (DataType.isDictionary(type) && (type.dictionary.children?.length ?? 0) > 0) {
    return compileNestedDictionaryReader(field, data, path);
  }
  if (DataType.isUnion(type)) {
    const childReaders = type.children.map((child, index) =>
      compileReader(child, data.children[index]!, `${path}.${child.name}`),
    );
    const typeIds = data.typeIds as ArrayLike<number>;
    const childIndexOf = type.typeIdToChildIndex as Record<number, number>;
    const denseOffsets = type.mode === UnionMode.Dense ? (data.valueOffsets as ArrayLike<number>) : undefined;
    return (index) => {
      const reader = childReaders[childIndexOf[typeIds[index]!]!]!;
      return reader(denseOffsets === undefined ? index : denseOffsets[index]!);
    };
  }
  const vector = makeVector(data);
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    return (index) => {
      const value = vector.get(index) as number | Date | null;
      if (value === null) return null;
      const date = new Date(value instanceof Date ? value.getTime() : value);
      if (Number.isNaN(date.getTime())) {
        throw new ChunkerUnsupportedTypeError(
          path,
          `row ${index}: the value is outside the range of a JS Date`,
        );
      }
      return date;
    };
  }
  if ((DataType.isUtf8(type) || DataType.isLargeUtf8(type)) && isJsonExtensionField(field)) {
    return (index) => {
      const text = vector.get(index) as string | null;
      if (text === null) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new ChunkerUnsupportedTypeError(path, `row ${index}: the arrow.json value is not valid JSON`, {
          cause,
        });
      }
    };
  }
  if (
    DataType.isBool(type) ||
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isUtf8(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isBinary(type) ||
    DataType.isLargeBinary(type) ||
    DataType.isDictionary(type)
  ) {
    return (index) => vector.get(index) ?? null;
  }
  return (index) => toPlain(vector.get(index));
}

/** A dictionary whose values are nested: each value is read with a reader of the dictionary's own data. */
function compileNestedDictionaryReader(field: Field, data: Data, path: string): CellReader {
  const type = field.type as Dictionary;
  const valueField = new Field(field.name, type.dictionary, true, field.metadata);
  const chunks = data.dictionary?.data ?? [];
  const chunkReaders = chunks.map((chunk) => compileReader(valueField, chunk, path));
  const chunkStarts: number[] = [];
  let total = 0;
  for (const chunk of chunks) {
    chunkStarts.push(total);
    total += chunk.length;
  }
  const indices = data.values as ArrayLike<number | bigint>;
  return (index) => {
    if (!data.getValid(index)) return null;
    const key = Number(indices[index]);
    let chunk = chunkStarts.length - 1;
    while (chunk > 0 && chunkStarts[chunk]! > key) chunk -= 1;
    return chunkReaders[chunk]!(key - chunkStarts[chunk]!);
  };
}

function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const withToJson = value as { toJSON?: () => unknown };
  return typeof withToJson.toJSON === 'function' && !(value instanceof Date) ? withToJson.toJSON() : value;
}
