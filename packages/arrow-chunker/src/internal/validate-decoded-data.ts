import { type Data, DataType, type RecordBatch } from 'apache-arrow';

/**
 * Arrow's IPC reader trusts the lengths in record batch metadata: a batch may claim millions of rows
 * over a few bytes of body, or offsets that go backwards, and whoever reads it then walks past its
 * buffers or materialises values without end. This checks that every buffer is as long as the lengths
 * claim and that offsets never decrease (linear in the number of variable-width values).
 * Returns a description of the first problem, or undefined.
 */
export function findDecodedBatchProblem(batch: RecordBatch): string | undefined {
  const fields = batch.schema.fields;
  const columns = batch.data.children;
  for (let index = 0; index < columns.length; index += 1) {
    const column = columns[index]!;
    const name = fields[index]?.name ?? `#${index}`;
    if (column.length !== batch.numRows) {
      return `column '${name}' has ${column.length} values but the batch has ${batch.numRows} rows`;
    }
    const problem = findDataProblem(column, name, 0);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const MAX_NESTING = 64;

function findDataProblem(data: Data, path: string, depth: number): string | undefined {
  if (depth > MAX_NESTING) return `column '${path}' is nested more than ${MAX_NESTING} levels deep`;
  const end = data.offset + data.length;
  if (!Number.isSafeInteger(end) || data.length < 0) return `column '${path}' has an invalid length`;
  const bitmapBytes = Math.ceil(end / 8);
  if (
    data.nullBitmap !== undefined &&
    data.nullBitmap.byteLength > 0 &&
    data.nullBitmap.byteLength < bitmapBytes
  ) {
    return `column '${path}': validity bitmap of ${data.nullBitmap.byteLength} bytes for ${end} values`;
  }
  const type: DataType = data.type;
  if (DataType.isNull(type)) return undefined;
  if (DataType.isBool(type)) {
    return byteLengthOf(data.values) < bitmapBytes
      ? `column '${path}': too few bytes for ${end} booleans`
      : undefined;
  }
  if (
    DataType.isUtf8(type) ||
    DataType.isBinary(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type)
  ) {
    if (end === 0) return undefined;
    const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
    const problem = checkOffsets(offsets, end, path);
    if (problem !== undefined) return problem;
    const last = Number(offsets![end]);
    return last > byteLengthOf(data.values)
      ? `column '${path}': offsets point past the value bytes`
      : undefined;
  }
  if (DataType.isList(type) || DataType.isLargeList(type) || DataType.isMap(type)) {
    const child = data.children[0];
    if (end === 0) return child === undefined ? undefined : findDataProblem(child, `${path}[]`, depth + 1);
    const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
    const problem = checkOffsets(offsets, end, path);
    if (problem !== undefined) return problem;
    if (child === undefined) return `column '${path}': list without a child`;
    if (Number(offsets![end]) > child.length) return `column '${path}': offsets point past the child values`;
    return findDataProblem(child, `${path}[]`, depth + 1);
  }
  if (DataType.isFixedSizeList(type)) {
    const child = data.children[0];
    if (child === undefined || child.length < end * type.listSize) {
      return `column '${path}': child too short for ${end} lists of ${type.listSize}`;
    }
    return findDataProblem(child, `${path}[]`, depth + 1);
  }
  if (DataType.isStruct(type) || DataType.isUnion(type)) {
    if (DataType.isUnion(type) && lengthOf(data.typeIds) < end)
      return `column '${path}': too few union type ids`;
    for (const [index, child] of data.children.entries()) {
      const childPath = `${path}.${type.children[index]?.name ?? index}`;
      if (DataType.isStruct(type) && child.length < end)
        return `column '${childPath}' is shorter than its struct`;
      const problem = findDataProblem(child, childPath, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (DataType.isDictionary(type)) {
    if (lengthOf(data.values) < end * data.stride) return `column '${path}': too few dictionary indices`;
    for (const chunk of data.dictionary?.data ?? []) {
      const problem = findDataProblem(chunk, `${path} (dictionary)`, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (DataType.isUtf8View(type) || DataType.isBinaryView(type)) return undefined;
  // Fixed-width types: ints, floats, dates, times, timestamps, durations, intervals, decimals,
  // fixed-size binary. `stride` is the number of array elements per value.
  return lengthOf(data.values) < end * data.stride
    ? `column '${path}': too few bytes for ${end} values`
    : undefined;
}

function checkOffsets(
  offsets: ArrayLike<number | bigint> | undefined,
  end: number,
  path: string,
): string | undefined {
  if (offsets === undefined || offsets.length < end + 1)
    return `column '${path}': too few offsets for ${end} values`;
  if (Number(offsets[0]) < 0) return `column '${path}': negative offset`;
  // Decreasing offsets would make one value span (and a reader materialise) almost the whole buffer.
  let previous = offsets[0]!;
  for (let index = 1; index <= end; index += 1) {
    const current = offsets[index]!;
    if (current < previous) return `column '${path}': offsets decrease at value ${index - 1}`;
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
