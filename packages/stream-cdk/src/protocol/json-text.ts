import { randomBytes } from 'node:crypto';

/**
 * JSON text of `value`, as `JSON.stringify` gives it, except that bigints are written as exact JSON
 * integers (`12345678901234567890`, not a rounded double, and not a TypeError). JSON numbers have no
 * size limit, and the Airbyte protocol's `integer` is any integer, so a source that reads a value beyond
 * 2^53 as a bigint keeps it exact on the wire. Values without bigints take the plain `JSON.stringify`
 * path at its full speed.
 */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  // A marker no string of the value can forge: it carries a random nonce of this call.
  const nonce = randomBytes(12).toString('hex');
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${nonce}${item.toString()}${nonce}` : item,
  );
  return text.replace(new RegExp(`"${nonce}(-?\\d+)${nonce}"`, 'g'), '$1');
}
