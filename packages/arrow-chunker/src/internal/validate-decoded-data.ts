import { type Data, DataType, type RecordBatch, Type, type Union, UnionMode } from 'apache-arrow';

/**
 * Arrow's IPC reader trusts the buffers a record batch points at: a batch may claim millions of rows
 * over a few bytes of body, offsets that go backwards or past their values, dictionary indices past the
 * dictionary, union type ids no child has, or a null count its validity bitmap does not hold; whoever
 * reads it then walks past its buffers, materialises values without end, or silently reads nulls.
 * This checks, for every column at every nesting level, that every buffer is as long as the type and
 * length need, that offsets start at 0 or more, never decrease and stay inside the values (or child)
 * they index, that the validity bitmap holds exactly `nullCount` nulls, that dictionary indices of
 * valid slots lie in `[0, dictionary length)`, that union type ids name a child and dense union offsets
 * lie inside it, and that view-type values point inside their data buffers. Every loop is bounded by
 * the bytes received: a length is compared with its buffer before anything is read at that length.
 * The header-level rules (lengths and null counts as written, dictionaries present) are checked before
 * the body is read, by findBatchHeaderProblem.
 *
 * `checkDictionaries`: also check the dictionaries' own data (needed when a reader other than ours
 * loaded them; ours checks each dictionary once, when its batch arrives).
 * Returns a description of the first problem, or undefined.
 */
export function findDecodedBatchProblem(batch: RecordBatch, checkDictionaries: boolean): string | undefined {
  const fields = batch.schema.fields;
  const columns = batch.data.children;
  for (let index = 0; index < columns.length; index += 1) {
    const column = columns[index]!;
    const name = fields[index]?.name ?? `#${index}`;
    if (column.length !== batch.numRows) {
      return `column '${name}' has ${column.length} values but the batch has ${batch.numRows} rows`;
    }
    const problem = findDataProblem(column, name, checkDictionaries);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** {@link findDecodedBatchProblem} for one column (or a dictionary's values). */
export function findDataProblem(data: Data, path: string, checkDictionaries: boolean): string | undefined {
  const end = data.offset + data.length;
  if (!Number.isSafeInteger(end) || data.length < 0) return `column '${path}' has an invalid length`;
  const type: DataType = data.type;
  if (DataType.isNull(type)) return undefined;
  if (!DataType.isUnion(type)) {
    const problem = checkValidity(data, end, path);
    if (problem !== undefined) return problem;
  }
  switch (type.typeId) {
    case Type.Bool:
      return byteLengthOf(data.values) < Math.ceil(end / 8)
        ? `column '${path}': too few bytes for ${end} booleans`
        : undefined;
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      if (end === 0) return undefined;
      const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
      const problem = checkOffsets(offsets, data.offset, end, path);
      if (problem !== undefined) return problem;
      return Number(offsets![end]) > byteLengthOf(data.values)
        ? `column '${path}': offsets point past the ${byteLengthOf(data.values)} value bytes`
        : undefined;
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const child = data.children[0];
      if (child === undefined) return `column '${path}': list without a child`;
      if (end > 0) {
        const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
        const problem = checkOffsets(offsets, data.offset, end, path);
        if (problem !== undefined) return problem;
        if (Number(offsets![end]) > child.offset + child.length) {
          return `column '${path}': offsets point past the ${child.length} child values`;
        }
      }
      return findDataProblem(child, `${path}[]`, checkDictionaries);
    }
    case Type.FixedSizeList: {
      const child = data.children[0];
      const listSize = (type as DataType & { listSize: number }).listSize;
      if (child === undefined || child.length < end * listSize) {
        return `column '${path}': child too short for ${end} lists of ${listSize}`;
      }
      return findDataProblem(child, `${path}[]`, checkDictionaries);
    }
    case Type.Struct:
      for (const [index, child] of data.children.entries()) {
        const childPath = `${path}.${type.children[index]?.name ?? index}`;
        if (child.length < end) return `column '${childPath}' is shorter than its struct`;
        const problem = findDataProblem(child, childPath, checkDictionaries);
        if (problem !== undefined) return problem;
      }
      return undefined;
    case Type.Union:
      return checkUnion(data as Data<Union>, end, path, checkDictionaries);
    case Type.Dictionary:
      return checkDictionary(data, end, path, checkDictionaries);
    case Type.Utf8View:
    case Type.BinaryView:
      return checkViews(data, end, path);
    default:
      // Fixed-width types: ints, floats, dates, times, timestamps, durations, intervals, decimals,
      // fixed-size binary. `stride` is the number of array elements per value.
      return lengthOf(data.values) < end * data.stride
        ? `column '${path}': too few bytes for ${end} values`
        : undefined;
  }
}

/** The validity bitmap, when nulls are declared, is long enough and holds exactly that many nulls. */
function checkValidity(data: Data, end: number, path: string): string | undefined {
  const declaredNulls = data.nullCount;
  const bitmap = data.nullBitmap;
  if (declaredNulls <= 0) return undefined;
  if (declaredNulls > data.length) {
    return `column '${path}' declares ${declaredNulls} nulls in ${data.length} values`;
  }
  if (bitmap === undefined || bitmap.byteLength === 0) {
    return `column '${path}' declares ${declaredNulls} nulls but has no validity bitmap`;
  }
  if (bitmap.byteLength < Math.ceil(end / 8)) {
    return `column '${path}': validity bitmap of ${bitmap.byteLength} bytes for ${end} values`;
  }
  const nulls = countZeroBits(bitmap, data.offset, end);
  return nulls === declaredNulls
    ? undefined
    : `column '${path}' declares ${declaredNulls} nulls but its validity bitmap holds ${nulls}`;
}

// Set bits per byte value.
const BITS_SET = Uint8Array.from({ length: 256 }, (_, value) => {
  let count = 0;
  for (let bits = value; bits !== 0; bits &= bits - 1) count += 1;
  return count;
});

/** Zero bits among bits [begin, end) of `bitmap` (least significant bit first, as Arrow stores them). */
export function countZeroBits(bitmap: Uint8Array, begin: number, end: number): number {
  let set = 0;
  let bit = begin;
  for (; bit < end && (bit & 7) !== 0; bit += 1) set += (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  let byte = bit >> 3;
  const wholeBytesEnd = end >> 3;
  // Whole 32-bit words where the bitmap allows (a 1,000,000-row column has 31,250 of them).
  while (byte < wholeBytesEnd && (bitmap.byteOffset + byte) % 4 !== 0) set += BITS_SET[bitmap[byte++]!]!;
  const words = (wholeBytesEnd - byte) >> 2;
  if (words > 0) {
    const view = new Int32Array(bitmap.buffer, bitmap.byteOffset + byte, words);
    for (let index = 0; index < words; index += 1) set += popcount32(view[index]!);
    byte += words * 4;
  }
  for (; byte < wholeBytesEnd; byte += 1) set += BITS_SET[bitmap[byte]!]!;
  for (bit = Math.max(bit, wholeBytesEnd << 3); bit < end; bit += 1)
    set += (bitmap[bit >> 3]! >> (bit & 7)) & 1;
  return end - begin - set;
}

function popcount32(word: number): number {
  let value = (word - ((word >>> 1) & 0x55555555)) | 0;
  value = ((value & 0x33333333) + ((value >>> 2) & 0x33333333)) | 0;
  return Math.imul((value + (value >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function isValid(data: Data, bitmap: Uint8Array | undefined, index: number): boolean {
  if (bitmap === undefined) return true;
  const bit = data.offset + index;
  return ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/** The bitmap to consult for validity, or undefined when every slot is valid. */
function validityOf(data: Data): Uint8Array | undefined {
  return data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.byteLength > 0
    ? data.nullBitmap
    : undefined;
}

function checkDictionary(
  data: Data,
  end: number,
  path: string,
  checkDictionaries: boolean,
): string | undefined {
  const indices = data.values as ArrayLike<number | bigint> | undefined;
  if (lengthOf(indices) < end) return `column '${path}': too few dictionary indices`;
  const dictionary = data.dictionary;
  if (dictionary === undefined) return `column '${path}' has no dictionary`;
  const size = dictionary.length;
  const bitmap = validityOf(data);
  // Null slots may hold any index (writers leave whatever was there), so only valid slots are checked.
  if (typeof indices![0] === 'bigint') {
    const values = indices as ArrayLike<bigint>;
    const limit = BigInt(size);
    for (let index = data.offset; index < end; index += 1) {
      const value = values[index]!;
      if ((value < 0n || value >= limit) && isValid(data, bitmap, index - data.offset)) {
        return `column '${path}': dictionary index ${value} at value ${index - data.offset} is outside the dictionary of ${size} values`;
      }
    }
  } else {
    const values = indices as ArrayLike<number>;
    for (let index = data.offset; index < end; index += 1) {
      const value = values[index]!;
      if ((value < 0 || value >= size) && isValid(data, bitmap, index - data.offset)) {
        return `column '${path}': dictionary index ${value} at value ${index - data.offset} is outside the dictionary of ${size} values`;
      }
    }
  }
  if (!checkDictionaries) return undefined;
  for (const chunk of dictionary.data) {
    const problem = findDataProblem(chunk, `${path} (dictionary)`, true);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkUnion(
  data: Data<Union>,
  end: number,
  path: string,
  checkDictionaries: boolean,
): string | undefined {
  const type = data.type;
  const typeIds = data.typeIds as ArrayLike<number> | undefined;
  if (lengthOf(typeIds) < end) return `column '${path}': too few union type ids`;
  const childIndexOf = type.typeIdToChildIndex as Record<number, number | undefined>;
  const dense = type.mode === UnionMode.Dense;
  const offsets = data.valueOffsets as ArrayLike<number> | undefined;
  if (dense && lengthOf(offsets) < end) return `column '${path}': too few dense union offsets`;
  for (let index = data.offset; index < end; index += 1) {
    const typeId = typeIds![index]!;
    const childIndex = childIndexOf[typeId];
    const child = childIndex === undefined ? undefined : data.children[childIndex];
    if (child === undefined) {
      return `column '${path}': union type id ${typeId} at value ${index - data.offset} names no child`;
    }
    if (dense) {
      const offset = offsets![index]!;
      if (offset < 0 || offset >= child.length) {
        return `column '${path}': dense union offset ${offset} at value ${index - data.offset} lies outside its child of ${child.length} values`;
      }
    }
  }
  for (const [index, child] of data.children.entries()) {
    const childPath = `${path}.${type.children[index]?.name ?? index}`;
    if (!dense && child.length < end) return `column '${childPath}' is shorter than its sparse union`;
    const problem = findDataProblem(child, childPath, checkDictionaries);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const VIEW_BYTES = 16;
const INLINE_VIEW_BYTES = 12;

/** Each view of a valid slot: length >= 0; past 12 bytes, a buffer index and range inside that buffer. */
function checkViews(data: Data, end: number, path: string): string | undefined {
  const views = data.values as ArrayBufferView | undefined;
  if (views === undefined || views.byteLength < end * VIEW_BYTES) {
    return `column '${path}': too few bytes for ${end} views`;
  }
  const reader = new DataView(views.buffer, views.byteOffset, views.byteLength);
  const buffers = (data as Data & { variadicBuffers?: readonly ArrayBufferView[] }).variadicBuffers ?? [];
  const bitmap = validityOf(data);
  for (let index = data.offset; index < end; index += 1) {
    if (!isValid(data, bitmap, index - data.offset)) continue;
    const at = index * VIEW_BYTES;
    const length = reader.getInt32(at, true);
    if (length < 0) return `column '${path}': view ${index - data.offset} has a negative length`;
    if (length <= INLINE_VIEW_BYTES) continue;
    const bufferIndex = reader.getInt32(at + 8, true);
    const offset = reader.getInt32(at + 12, true);
    const buffer = buffers[bufferIndex];
    if (buffer === undefined || offset < 0 || offset + length > buffer.byteLength) {
      return `column '${path}': view ${index - data.offset} points outside its data buffers`;
    }
  }
  return undefined;
}

function checkOffsets(
  offsets: ArrayLike<number | bigint> | undefined,
  begin: number,
  end: number,
  path: string,
): string | undefined {
  if (offsets === undefined || offsets.length < end + 1)
    return `column '${path}': too few offsets for ${end - begin} values`;
  if (Number(offsets[begin]) < 0) return `column '${path}': negative offset`;
  // Decreasing offsets would make one value span (and a reader materialise) almost the whole buffer.
  let previous = offsets[begin]!;
  for (let index = begin + 1; index <= end; index += 1) {
    const current = offsets[index]!;
    if (current < previous) return `column '${path}': offsets decrease at value ${index - 1 - begin}`;
    previous = current;
  }
  return undefined;
}

function lengthOf(values: unknown): number {
  return (values as ArrayLike<unknown> | undefined)?.length ?? 0;
}

function byteLengthOf(values: unknown): number {
  return (values as ArrayBufferView | undefined)?.byteLength ?? 0;
}
