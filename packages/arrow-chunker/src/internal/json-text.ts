import { randomBytes } from 'node:crypto';

/**
 * `JSON.stringify(value)`, except that bigints become exact JSON integers instead of a TypeError (JSON
 * numbers have no size limit). Values without bigints take the plain path at full speed.
 */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  // The nonce of this call makes the marker impossible to forge from a string in the value.
  const marker = randomBytes(12).toString('hex');
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${marker}${item.toString()}${marker}` : item,
  );
  return text?.replace(new RegExp(`"${marker}(-?\\d+)${marker}"`, 'g'), '$1');
}
