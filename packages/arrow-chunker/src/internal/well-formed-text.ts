// String.prototype.isWellFormed is in every supported Node (>= 20), but not in the ES2023 lib typings.
const isWellFormedNative = (String.prototype as unknown as { isWellFormed: (this: string) => boolean })
  .isWellFormed;

/**
 * True when `text` has no lone surrogate (a UTF-16 code unit U+D800..U+DFFF not part of a pair), i.e.
 * when it can be encoded as UTF-8 exactly. Arrow's Utf8 type holds UTF-8, where a lone surrogate
 * cannot exist: encoders silently replace it with U+FFFD. Constant time for Latin-1 strings.
 */
export function isWellFormedText(text: string): boolean {
  return isWellFormedNative.call(text);
}

/** Index of the first lone surrogate in `text`, or -1. For error messages only (linear). */
export function loneSurrogateIndex(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
      return index;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return index;
  }
  return -1;
}
