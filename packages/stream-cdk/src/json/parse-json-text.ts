import { locateJsonSyntaxError } from './locate-json-syntax-error';

/** The outcome of {@link parseJsonText}: the value, or where the text stopped being JSON. */
export type ParseJsonTextResult = { ok: true; value: unknown } | { ok: false; where: string };

/**
 * Parses JSON text (a leading byte order mark is ignored). On failure it says only where and why
 * ("expected a value at line 3 column 21"), never any of the text: V8's own message quotes the text
 * around the error, which in a config file is where the secrets are.
 */
export function parseJsonText(text: string): ParseJsonTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    const location = locateJsonSyntaxError(body);
    // JSON.parse and the scanner agree on RFC 8259; the fallback only guards against a disagreement.
    if (location === undefined) return { ok: false, where: 'it could not be parsed' };
    return { ok: false, where: `${location.reason} at line ${location.line} column ${location.column}` };
  }
}
