/**
 * Rough Arrow size of a row, in bytes, for the batcher's `maxBytes` threshold: fixed-width values count
 * their width, strings their UTF-16 length (about their UTF-8 size for mostly-ASCII text) plus an
 * offset, nested values the sum of their parts. Cheap by design; it bounds memory, not exact output size.
 */
export function estimateRowBytes(row: unknown): number {
  return estimateValueBytes(row, 0);
}

const MAX_DEPTH = 32;

function estimateValueBytes(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    case 'string':
      return value.length + 4;
    case 'undefined':
      return 1;
    default:
      break;
  }
  if (value === null) return 1;
  if (depth > MAX_DEPTH) return 8;
  if (value instanceof Date) return 8;
  if (value instanceof Uint8Array) return value.byteLength + 4;
  if (Array.isArray(value)) {
    let total = 4;
    for (const element of value) total += estimateValueBytes(element, depth + 1);
    return total;
  }
  if (typeof value === 'object') {
    let total = 0;
    const object = value as Record<string, unknown>;
    for (const key in object) total += estimateValueBytes(object[key], depth + 1);
    return total;
  }
  return 8;
}
