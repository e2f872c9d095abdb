import fc from 'fast-check';

/**
 * `value` (JSON data) with one part replaced by `replacement`, for fuzz tests: the damage a
 * hand-edited file gets. `path` picks a key by index at each level; an empty path replaces the value.
 * Keys are set as own properties, so a `__proto__` key stays a key.
 */
export function damaged(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] as number) % keys.length] as string;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  Object.defineProperty(copy, key, {
    value: damaged((value as Record<string, unknown>)[key], path.slice(1), replacement),
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return copy;
}

/** Where and what {@link damaged} writes: undefined (a third of the time) for no damage. */
export const jsonDamageArbitrary = fc.option(
  fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
  { nil: undefined, freq: 3 },
);
