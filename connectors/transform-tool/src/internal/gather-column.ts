import { type Data, type DataType, makeData, Type } from 'apache-arrow';

type TypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
type TypedArrayConstructor = new (length: number) => TypedArray;

const fixedWidthTypes: ReadonlySet<Type> = new Set([
  Type.Int,
  Type.Float,
  Type.Decimal,
  Type.Date,
  Type.Time,
  Type.Timestamp,
  Type.Interval,
  Type.Duration,
  Type.FixedSizeBinary,
]);
const variableWidthTypes: ReadonlySet<Type> = new Set([
  Type.Utf8,
  Type.Binary,
  Type.LargeUtf8,
  Type.LargeBinary,
]);

/** Whether {@link gatherData} can select rows of a column of this type (flat types and dictionaries). */
export function canGather(type: DataType): boolean {
  return (
    fixedWidthTypes.has(type.typeId) ||
    variableWidthTypes.has(type.typeId) ||
    type.typeId === Type.Bool ||
    type.typeId === Type.Null ||
    type.typeId === Type.Dictionary
  );
}

/** Packs `isSet(row)` for each output row into an Arrow bitmap; returns it with the count of clear bits. */
export function packBits(
  length: number,
  isSet: (row: number) => boolean,
): { bitmap: Uint8Array; clear: number } {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let clear = 0;
  for (let row = 0; row < length; row += 1) {
    if (isSet(row)) bitmap[row >> 3] = (bitmap[row >> 3] as number) | (1 << (row & 7));
    else clear += 1;
  }
  return { bitmap, clear };
}

function bitAt(bitmap: Uint8Array, bit: number): boolean {
  return (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1;
}

/**
 * The rows `selection` (ascending row indexes) of one column, as new Data of the same type. Values are
 * copied buffer to buffer; no row is materialised as a JS value. Only types {@link canGather} accepts.
 */
export function gatherData(data: Data, selection: Int32Array): Data {
  const length = selection.length;
  const { type } = data;
  if (type.typeId === Type.Null) return makeData({ type, length, nullCount: length } as never);
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  const sourceBitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  if (sourceBitmap !== undefined && sourceBitmap.length > 0) {
    const packed = packBits(length, (row) => bitAt(sourceBitmap, data.offset + (selection[row] as number)));
    nullBitmap = packed.bitmap;
    nullCount = packed.clear;
  }
  if (type.typeId === Type.Bool) {
    const values = data.values as Uint8Array;
    const packed = packBits(length, (row) => bitAt(values, data.offset + (selection[row] as number)));
    return makeData({ type, length, nullCount, nullBitmap, data: packed.bitmap } as never);
  }
  if (variableWidthTypes.has(type.typeId)) {
    const offsets = data.valueOffsets as Int32Array | BigInt64Array;
    const bytes = data.values as Uint8Array;
    const large = offsets instanceof BigInt64Array;
    let total = 0;
    for (let row = 0; row < length; row += 1) {
      const source = selection[row] as number;
      total += Number(offsets[source + 1]) - Number(offsets[source]);
    }
    const outBytes = new Uint8Array(total);
    const outOffsets = large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
    let position = 0;
    for (let row = 0; row < length; row += 1) {
      const source = selection[row] as number;
      const start = Number(offsets[source]);
      const end = Number(offsets[source + 1]);
      outBytes.set(bytes.subarray(start, end), position);
      position += end - start;
      if (large) (outOffsets as BigInt64Array)[row + 1] = BigInt(position);
      else (outOffsets as Int32Array)[row + 1] = position;
    }
    return makeData({
      type,
      length,
      nullCount,
      nullBitmap,
      valueOffsets: outOffsets,
      data: outBytes,
    } as never);
  }
  // Fixed width, and dictionary indexes (the dictionary itself is shared, not copied).
  const values = data.values as TypedArray;
  const stride = data.stride;
  const out = new (values.constructor as TypedArrayConstructor)(length * stride);
  if (stride === 1) {
    for (let row = 0; row < length; row += 1) out[row] = values[selection[row] as number] as never;
  } else {
    for (let row = 0; row < length; row += 1) {
      const source = (selection[row] as number) * stride;
      (out as Uint32Array).set(values.subarray(source, source + stride) as Uint32Array, row * stride);
    }
  }
  if (type.typeId === Type.Dictionary) {
    return makeData({ type, length, nullCount, nullBitmap, data: out, dictionary: data.dictionary } as never);
  }
  return makeData({ type, length, nullCount, nullBitmap, data: out } as never);
}
