/**
 * Reading and writing JSON object members by a key that comes from outside (a stream name, a state
 * key, a key of a state document): own properties only. `object[key]` reads Object.prototype for
 * `constructor` or `toString`, and `object[key] = value` with `__proto__` replaces the prototype
 * instead of storing the value.
 */

/** The own member `key` of `object`, or undefined. */
export function ownValue<Value>(object: { readonly [key: string]: Value }, key: string): Value | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Stores `value` as the own, enumerable member `key` of `object`, whatever the key is. */
export function setOwn<Value>(object: { [key: string]: Value }, key: string, value: Value): void {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
}
