import { type Data, Type } from 'apache-arrow';
import type { ColumnValue } from './column-value';

const utf8 = new TextDecoder();

/** Validity bytes (1 = valid) of `data`, or null when it has no nulls. */
export function validityOf(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return null;
  const valid = new Uint8Array(data.length);
  const bitmap = data.nullBitmap;
  const offset = data.offset;
  for (let row = 0; row < data.length; row += 1) {
    const bit = offset + row;
    valid[row] = ((bitmap[bit >> 3] as number) >> (bit & 7)) & 1;
  }
  return valid;
}

/**
 * Reads one Arrow column (a single Data of a record batch) as a {@link ColumnValue}. Float64 values are
 * used in place (no copy); other numeric widths are widened into a Float64Array once.
 */
export function readArrowColumn(data: Data): ColumnValue {
  const valid = validityOf(data);
  const length = data.length;
  switch (data.typeId) {
    case Type.Int:
    case Type.Float: {
      const source = data.values as ArrayLike<number | bigint>;
      if (source instanceof Float64Array)
        return { kind: 'number', values: source.subarray(0, length), valid, scalar: false };
      const values = new Float64Array(length);
      if (source instanceof BigInt64Array || source instanceof BigUint64Array) {
        for (let row = 0; row < length; row += 1) values[row] = Number(source[row]);
      } else if (data.type.typeId === Type.Float && (data.type as { precision?: number }).precision === 0) {
        // Float16 arrives as raw uint16 halves.
        for (let row = 0; row < length; row += 1) values[row] = halfToNumber(source[row] as number);
      } else {
        for (let row = 0; row < length; row += 1) values[row] = source[row] as number;
      }
      return { kind: 'number', values, valid, scalar: false };
    }
    case Type.Bool: {
      const bitmap = data.values as Uint8Array;
      const values = new Uint8Array(length);
      for (let row = 0; row < length; row += 1) {
        const bit = data.offset + row;
        values[row] = ((bitmap[bit >> 3] as number) >> (bit & 7)) & 1;
      }
      return { kind: 'boolean', values, valid, scalar: false };
    }
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offsets = data.valueOffsets as Int32Array | BigInt64Array;
      const bytes = data.values as Uint8Array;
      const values: (string | null)[] = new Array(length);
      for (let row = 0; row < length; row += 1) {
        if (valid !== null && valid[row] === 0) values[row] = null;
        else values[row] = decodeUtf8(bytes, Number(offsets[row]), Number(offsets[row + 1]));
      }
      return { kind: 'string', values, scalar: false };
    }
    case Type.Dictionary: {
      // Each dictionary word is decoded once, then rows look theirs up by index.
      const words: (string | null)[] = [];
      for (const chunk of data.dictionary?.data ?? []) {
        const decoded = readArrowColumn(chunk);
        // A loop, not push(...): a dictionary may hold more words than a spread can pass.
        if (decoded.kind === 'string') for (const word of decoded.values) words.push(word);
      }
      const indexes = data.values as ArrayLike<number | bigint>;
      const values: (string | null)[] = new Array(length);
      for (let row = 0; row < length; row += 1) {
        values[row] = valid !== null && valid[row] === 0 ? null : (words[Number(indexes[row])] ?? null);
      }
      return { kind: 'string', values, scalar: false };
    }
    default:
      // The type checker only lets readable columns through.
      throw new TypeError(`column type ${String(data.type)} is not readable`);
  }
}

/** Decodes one string; short ASCII strings (the common case) skip TextDecoder's per-call overhead. */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 32) return utf8.decode(bytes.subarray(start, end));
  let text = '';
  for (let index = start; index < end; index += 1) {
    const byte = bytes[index] as number;
    if (byte >= 0x80) return utf8.decode(bytes.subarray(start, end));
    text += String.fromCharCode(byte);
  }
  return text;
}

function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
