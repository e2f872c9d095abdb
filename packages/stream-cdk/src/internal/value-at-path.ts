/** The value at `path` inside `value` (objects only, no array indexes), or undefined when absent. */
export function valueAtPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** True for the values that mean "no token": undefined, null and the empty string. */
export function isAbsentToken(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}
