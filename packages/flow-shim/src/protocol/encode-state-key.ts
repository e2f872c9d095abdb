const keptPunctuation = new Set(['-', '_', '+', '.', '=']);
const unicodeAlphanumeric = /^[\p{L}\p{N}]$/u;

/**
 * The runtime's suggested key for a binding's state: resource path parts joined with `/`, every
 * character other than Unicode letters, digits and `-_+.=` percent-encoded (UTF-8 bytes, upper-case
 * hex), then `.v{backfill}` when `backfill` is not 0. Identical to Flow's own encoding, so keys
 * computed here match the `stateKey` the runtime sends.
 */
export function encodeStateKey(resourcePath: readonly string[], backfill = 0): string {
  let encoded = '';
  for (const character of resourcePath.join('/')) {
    if (keptPunctuation.has(character) || unicodeAlphanumeric.test(character)) {
      encoded += character;
    } else {
      for (const byte of Buffer.from(character, 'utf8')) {
        encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return backfill === 0 ? encoded : `${encoded}.v${backfill}`;
}
