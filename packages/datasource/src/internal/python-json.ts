// Reproduces Python's `json.dumps(value)` with its defaults (", " and ": " separators, ensure_ascii,
// float repr) so that the HTTP body matches what the Panoply Python SDK sends, byte for byte.

// Printable ASCII without quote or backslash, the common case, needs no escaping at all.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const HAS_NOT_ASCII = /[\u007f-\uffff]/;
const NOT_ASCII = /[\u007f-\uffff]/g;

function escapeUnit(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// JSON.stringify already escapes quotes, backslashes, control characters (short forms, else
// lower-case \u00xx) and lone surrogates exactly as Python does; ensure_ascii also escapes DEL and
// everything above it, one UTF-16 unit at a time, so astral characters become surrogate pairs.
function escapeString(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  const quoted = JSON.stringify(text);
  return HAS_NOT_ASCII.test(quoted) ? quoted.replace(NOT_ASCII, escapeUnit) : quoted;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  // JS cannot tell 1 from 1.0: safe integers are written as Python ints; larger integral values can
  // only have come from floating point, so they get the float repr below.
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? '0' : String(value);
  const magnitude = Math.abs(value);
  // In this range JS and Python agree: shortest round-trip digits in fixed notation.
  if (magnitude >= 1e-4 && magnitude < 1e16 && !Number.isInteger(value)) return String(value);
  // Python's float repr: shortest round-trip digits (as JS), fixed notation for exponents -4..15,
  // otherwise scientific with a signed exponent of at least two digits.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${integerPart}.${fraction === '' ? '0' : fraction}`;
  }
  const fraction = digits.slice(1);
  const exponentSign = exponent < 0 ? '-' : '+';
  const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${digits[0]}${fraction === '' ? '' : `.${fraction}`}e${exponentSign}${exponentDigits}`;
}

function serialise(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialise(withToJson.toJSON(), seen);
  if (seen.has(value)) throw new TypeError('Circular reference detected');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item) => serialise(item, seen) ?? 'null').join(', ')}]`;
    }
    let output = '{';
    for (const key of Object.keys(value)) {
      const encoded = serialise((value as Record<string, unknown>)[key], seen);
      if (encoded === undefined) continue;
      output += `${output.length === 1 ? '' : ', '}${escapeString(key)}: ${encoded}`;
    }
    return `${output}}`;
  } finally {
    seen.delete(value);
  }
}

/**
 * Python `json.dumps` output for a JSON-like value. `undefined` and functions are skipped like
 * `JSON.stringify` does; bigints are written as integers; cycles throw a `TypeError`.
 */
export function pythonJsonDumps(value: unknown): string {
  return serialise(value, new Set()) ?? 'null';
}
const NEEDS_QUOTE_FIX = /[!'()*/]/;
const QUOTE_FIXES = /[!'()*]|%2F/g;

function quoteFix(match: string): string {
  return match === '%2F' ? '/' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Python `urllib.parse.quote(text, safe='/')`: keeps `A-Z a-z 0-9 _ . - ~ /` and percent-encodes
 * everything else (UTF-8, upper-case hex), unlike `encodeURIComponent` on `/ ! ' ( ) *`.
 */
export function pythonQuote(text: string): string {
  const encoded = encodeURIComponent(text);
  return NEEDS_QUOTE_FIX.test(text) ? encoded.replace(QUOTE_FIXES, quoteFix) : encoded;
}
