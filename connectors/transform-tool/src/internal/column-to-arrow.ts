import { Bool, type Data, type DataType, Float32, Float64, Int32, Int64, makeData, Utf8 } from 'apache-arrow';
import { TransformError } from '../errors/transform-error';
import { asBoolean, asNumber, asString, type ColumnValue, isNullAt } from '../expression/column-value';
import type { FormulaColumnType } from '../tool-config';
import { packBits } from './gather-column';

/** The Arrow type of a formula column type. */
export function arrowTypeOf(type: FormulaColumnType): DataType {
  switch (type) {
    case 'double':
      return new Float64();
    case 'float':
      return new Float32();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'string':
      return new Utf8();
    case 'bool':
      return new Bool();
  }
}

const encoder = new TextEncoder();

/** Utf8 offsets and bytes of `values` (null rows empty); ASCII is copied directly, the rest encoded. */
function encodeStrings(values: readonly (string | null)[], scalar: boolean, length: number) {
  const valueOffsets = new Int32Array(length + 1);
  let bytes = new Uint8Array(Math.max(64, length * 8));
  let position = 0;
  for (let row = 0; row < length; row += 1) {
    const text = values[scalar ? 0 : row] ?? '';
    // A UTF-16 unit needs at most 3 UTF-8 bytes.
    if (position + text.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, position + text.length * 3));
      grown.set(bytes.subarray(0, position));
      bytes = grown;
    }
    let ascii = true;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) {
        ascii = false;
        break;
      }
      bytes[position + index] = code;
    }
    position += ascii ? text.length : encoder.encodeInto(text, bytes.subarray(position)).written;
    valueOffsets[row + 1] = position;
  }
  return { valueOffsets, data: bytes.subarray(0, position) };
}

const integerRanges = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] } as const;

/**
 * A formula's values (`length` rows) as Arrow Data of `type`. Numbers stored in
 * an integer column are truncated toward zero; a value outside the column's range (or NaN, infinite)
 * is a `TRANSFORM_EVALUATION` error naming the formula, since storing anything else would lose it silently.
 */
export function columnToArrow(
  value: ColumnValue,
  type: FormulaColumnType,
  length: number,
  formulaName: string,
): Data {
  const arrowType = arrowTypeOf(type);
  const validity = packBits(length, (row) => !isNullAt(value, row));
  const nullBitmap = validity.clear > 0 ? validity.bitmap : undefined;
  const nullCount = validity.clear;
  if (type === 'string') {
    const strings = asString(value);
    return makeData({
      type: arrowType,
      length,
      nullCount,
      nullBitmap,
      ...encodeStrings(strings.values, strings.scalar, length),
    } as never);
  }
  if (type === 'bool') {
    const booleans = asBoolean(value);
    const packed = packBits(length, (row) => booleans.values[booleans.scalar ? 0 : row] === 1);
    return makeData({ type: arrowType, length, nullCount, nullBitmap, data: packed.bitmap } as never);
  }
  const numbers = asNumber(value);
  const at = (row: number) => numbers.values[numbers.scalar ? 0 : row] as number;
  if (type === 'double' || type === 'float') {
    if (type === 'double' && !numbers.scalar) {
      return makeData({
        type: arrowType,
        length,
        nullCount,
        nullBitmap,
        data: numbers.values.subarray(0, length),
      } as never);
    }
    const out = type === 'double' ? new Float64Array(length) : new Float32Array(length);
    for (let row = 0; row < length; row += 1) out[row] = at(row);
    return makeData({ type: arrowType, length, nullCount, nullBitmap, data: out } as never);
  }
  const [min, max] = integerRanges[type];
  const out = type === 'int32' ? new Int32Array(length) : new BigInt64Array(length);
  for (let row = 0; row < length; row += 1) {
    if (isNullAt(value, row)) continue;
    const number = Math.trunc(at(row));
    if (!(number >= min && number <= max)) {
      throw new TransformError(
        'TRANSFORM_EVALUATION',
        `formula '${formulaName}' computed ${at(row)}, which does not fit its ${type} column`,
      );
    }
    if (out instanceof Int32Array) out[row] = number;
    else out[row] = BigInt(number);
  }
  return makeData({ type: arrowType, length, nullCount, nullBitmap, data: out } as never);
}
