/** Short, log-safe description of a value's kind for error messages (never the value itself). */
export function describeValueKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  const kind = typeof value;
  if (kind !== 'object') return `a ${kind}`;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (prototype === null || prototype === Object.prototype) return 'an object';
  return `an instance of ${prototype.constructor?.name ?? 'an unnamed class'}`;
}

/** True for `{...}` literals and `Object.create(null)` objects, the only objects treated as structs. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
