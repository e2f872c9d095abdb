import { ownValue, setOwn } from '../internal/own-property';
import type { JsonValue } from './flow-specs';

function isPlainObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies an RFC 7396 JSON merge patch and returns the result; neither argument is modified.
 * Objects merge key by key, `null` deletes a key, anything else (arrays included) replaces. Any key
 * is a key (`__proto__` and `constructor` included).
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return patch;
  const result: { [key: string]: JsonValue } = {};
  if (isPlainObject(target)) for (const [key, value] of Object.entries(target)) setOwn(result, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, applyMergePatch(ownValue(result, key), value));
    }
  }
  return result;
}

function jsonEqual(left: JsonValue, right: JsonValue): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index] as JsonValue))
    );
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    return leftKeys.every(
      (key) => Object.hasOwn(right, key) && jsonEqual(left[key] as JsonValue, right[key] as JsonValue),
    );
  }
  return false;
}

/**
 * The smallest RFC 7396 merge patch turning `before` into `after`, or `undefined` when they are
 * equal. Keys missing from `after` become `null`. RFC 7396 cannot express a `null` value: a key
 * whose value is `null` in `after` is removed by the patch instead.
 */
export function createMergePatch(before: JsonValue | undefined, after: JsonValue): JsonValue | undefined {
  if (!isPlainObject(after) || !isPlainObject(before)) {
    if (before !== undefined && jsonEqual(before, after)) return undefined;
    return isPlainObject(after) ? stripNulls(after) : after;
  }
  const patch: { [key: string]: JsonValue } = {};
  let changed = false;
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key) || (after[key] === null && before[key] !== null)) {
      setOwn(patch, key, null);
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === null) continue;
    const inner = createMergePatch(ownValue(before, key), value);
    if (inner !== undefined) {
      setOwn(patch, key, inner);
      changed = true;
    }
  }
  return changed ? patch : undefined;
}

function stripNulls(value: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const result: { [key: string]: JsonValue } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === null) continue;
    setOwn(result, key, isPlainObject(inner) ? stripNulls(inner) : inner);
  }
  return result;
}
