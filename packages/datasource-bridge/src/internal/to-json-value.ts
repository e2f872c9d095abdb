/**
 * A record value as JSON data: `Date` -> ISO 8601 string; `NaN`, `Infinity` and `-Infinity` -> those
 * words as strings (JSON has no such numbers, and `JSON.stringify` would turn them into a silent `null`);
 * `undefined` properties dropped. Bigints stay
 * bigints: `@sdk/stream-cdk` writes them as exact JSON integers, and Arrow takes them as Int64. Other
 * values are returned as they are, and objects are copied only when something inside them changes, so
 * plain JSON records cost one walk.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const element = value[index];
      const converted = toJsonValue(element);
      if (converted !== element && copy === undefined) copy = value.slice(0, index);
      copy?.push(converted);
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const entries = Object.entries(value);
  for (let index = 0; index < entries.length; index += 1) {
    const [key, child] = entries[index] as [string, unknown];
    const converted = child === undefined ? undefined : toJsonValue(child);
    if (converted !== child && copy === undefined) {
      copy = Object.create(null) as Record<string, unknown>;
      for (const [earlierKey, earlier] of entries.slice(0, index)) defineValue(copy, earlierKey, earlier);
    }
    if (copy !== undefined && converted !== undefined) defineValue(copy, key, converted);
  }
  return copy === undefined ? value : { ...copy };
}

/** Sets an own, enumerable property even for names like `__proto__`. */
export function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
