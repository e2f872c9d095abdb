import { SliceError } from '../errors/slice-error';
import type { JsonObject } from '../protocol/airbyte-protocol';

const streamSliceMarker = Symbol.for('@sdk/stream-cdk/StreamSlice');

/**
 * A slice made of a `partition` (what to read, e.g. one parent record) and a `cursorSlice` (how far
 * into it, e.g. a page token). Its own enumerable keys are the two merged, so it can be passed
 * anywhere a plain slice is expected and serialises as the merged object; `partition` and
 * `cursorSlice` are non-enumerable properties.
 */
export type StreamSlice = JsonObject & { readonly partition: JsonObject; readonly cursorSlice: JsonObject };

/**
 * Builds a frozen {@link StreamSlice}. Throws {@link SliceError} (`CDK_SLICE_INVALID`) when the two
 * parts share a key or use the reserved keys `partition` / `cursorSlice`.
 */
export function createStreamSlice(partition: JsonObject, cursorSlice: JsonObject = {}): StreamSlice {
  const merged: JsonObject = {};
  for (const part of [partition, cursorSlice]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'partition' || key === 'cursorSlice' || key in merged) {
        throw new SliceError(`slice key "${key}" is reserved or appears in both partition and cursor slice`);
      }
      merged[key] = value;
    }
  }
  Object.defineProperty(merged, 'partition', { value: partition, enumerable: false });
  Object.defineProperty(merged, 'cursorSlice', { value: cursorSlice, enumerable: false });
  Object.defineProperty(merged, streamSliceMarker, { value: true, enumerable: false });
  return Object.freeze(merged) as StreamSlice;
}

/** True when `value` was made by {@link createStreamSlice} (in any copy of this package). */
export function isStreamSlice(value: unknown): value is StreamSlice {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[streamSliceMarker] === true
  );
}
