// One JSON encoder for every sink, in two layouts: Python's `json.dumps` defaults (", " and ": "
// separators, ensure_ascii) for the Panoply HTTP body, byte for byte, and a compact layout (what
// `JSON.stringify` writes) for JSON lines. Values are written the same way in both: numbers with
// Python's float repr (so `-0` is `-0.0` and never becomes `0`), bigints as exact integers, and the
// non-finite numbers either as Python writes them (`NaN`, `Infinity`, `-Infinity`) or refused.

/** How NaN and the infinities are written: as Python's json does, or refused with an error. */
export type NonFiniteMode = 'python' | 'error';

/** Options of the encoders below. */
export interface JsonEncodeOptions {
  /** Defaults to `'python'`. */
  readonly nonFiniteNumbers?: NonFiniteMode;
  /** A key of the top-level object to leave out (the runner's content digests skip `__state`). */
  readonly omitTopLevelKey?: string;
}

/**
 * A value the encoder cannot write: a cycle, or a non-finite number in `'error'` mode. `path` says
 * where, as a JavaScript-like accessor from the top (`.prices[2]`; empty for the value itself).
 */
export class UnencodableValueError extends Error {
  path: string;
  readonly problem: string;

  constructor(problem: string, path = '') {
    super(problem);
    this.problem = problem;
    this.path = path;
  }

  /** `"<problem> at <path>"`, or the problem alone for the top value. */
  describe(): string {
    return this.path === '' ? this.problem : `${this.problem} at ${this.path}`;
  }
}

// Printable ASCII without quote or backslash, the common case, needs no escaping at all.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const HAS_NOT_ASCII = /[\u007f-\uffff]/;
const NOT_ASCII = /[\u007f-\uffff]/g;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function escapeUnit(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// JSON.stringify already escapes quotes, backslashes, control characters (short forms, else
// lower-case \u00xx) and lone surrogates exactly as Python does; ensure_ascii also escapes DEL and
// everything above it, one UTF-16 unit at a time, so astral characters become surrogate pairs.
function escapePython(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  const quoted = JSON.stringify(text);
  return HAS_NOT_ASCII.test(quoted) ? quoted.replace(NOT_ASCII, escapeUnit) : quoted;
}

function escapeCompact(text: string): string {
  return PLAIN_ASCII.test(text) ? `"${text}"` : JSON.stringify(text);
}

function formatNonFinite(value: number, mode: NonFiniteMode): string {
  const token = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (mode === 'error') {
    throw new UnencodableValueError(
      `the number ${token} has no JSON form (nonFiniteNumbers is 'error'; 'python' writes it as Python's json does)`,
    );
  }
  return token;
}

/** Python's `repr(float)` (or `str(int)` for safe integers) of a JavaScript number. */
export function formatPythonNumber(value: number, nonFiniteNumbers: NonFiniteMode = 'python'): string {
  if (!Number.isFinite(value)) return formatNonFinite(value, nonFiniteNumbers);
  // JS cannot tell 1 from 1.0: safe integers are written as Python ints; larger integral values can
  // only have come from floating point, so they get the float repr below. -0 only exists as a float.
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? '-0.0' : String(value);
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

interface Layout {
  readonly escape: (text: string) => string;
  readonly itemSeparator: string;
  readonly keySeparator: string;
  readonly nonFinite: NonFiniteMode;
}

function keyAccessor(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

// Adds where the failure happened while the error travels up through the containers.
function located(error: unknown, accessor: string): unknown {
  if (error instanceof UnencodableValueError) error.path = `${accessor}${error.path}`;
  return error;
}

function serialise(
  value: unknown,
  seen: Set<object>,
  layout: Layout,
  key: string,
  omitKey: string | undefined,
  callToJson = true,
): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return layout.escape(value);
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? String(value)
        : formatPythonNumber(value, layout.nonFinite);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // undefined, functions and symbols are skipped, as JSON.stringify does
  }
  const withToJson = value as { toJSON?: (key: string) => unknown };
  // Once, as JSON.stringify does: what toJSON returns is written as it is, even if it has a toJSON.
  if (callToJson && typeof withToJson.toJSON === 'function') {
    return serialise(withToJson.toJSON(key), seen, layout, key, undefined, false);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return serialise(value.valueOf(), seen, layout, key, undefined);
  }
  if (seen.has(value)) throw new UnencodableValueError('a circular reference (the value contains itself)');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      let output = '[';
      for (let index = 0; index < value.length; index++) {
        let encoded: string | undefined;
        try {
          encoded = serialise(value[index], seen, layout, String(index), undefined);
        } catch (error) {
          throw located(error, `[${index}]`);
        }
        output += `${index === 0 ? '' : layout.itemSeparator}${encoded ?? 'null'}`;
      }
      return `${output}]`;
    }
    let output = '{';
    let first = true;
    for (const name of Object.keys(value)) {
      if (name === omitKey) continue;
      let encoded: string | undefined;
      try {
        encoded = serialise((value as Record<string, unknown>)[name], seen, layout, name, undefined);
      } catch (error) {
        throw located(error, keyAccessor(name));
      }
      if (encoded === undefined) continue;
      output += `${first ? '' : layout.itemSeparator}${layout.escape(name)}${layout.keySeparator}${encoded}`;
      first = false;
    }
    return `${output}}`;
  } finally {
    seen.delete(value);
  }
}

const PYTHON_LAYOUT: Layout = {
  escape: escapePython,
  itemSeparator: ', ',
  keySeparator: ': ',
  nonFinite: 'python',
};
const COMPACT_LAYOUT: Layout = {
  escape: escapeCompact,
  itemSeparator: ',',
  keySeparator: ':',
  nonFinite: 'python',
};

function layoutWith(base: Layout, options: JsonEncodeOptions): Layout {
  const nonFinite = options.nonFiniteNumbers ?? 'python';
  return nonFinite === base.nonFinite ? base : { ...base, nonFinite };
}

/**
 * Python `json.dumps` output for a JSON-like value. `undefined` and functions are skipped like
 * `JSON.stringify` does; bigints are written as integers. Throws {@link UnencodableValueError} on a
 * cycle, on nesting deeper than the call stack allows, and on NaN/Infinity when `nonFiniteNumbers` is
 * `'error'`.
 */
export function pythonJsonDumps(value: unknown, options: JsonEncodeOptions = {}): string {
  const layout = layoutWith(PYTHON_LAYOUT, options);
  return withinStack(() => serialise(value, new Set(), layout, '', options.omitTopLevelKey) ?? 'null');
}

/**
 * Runs an encoding; a value nested deeper than the call stack allows (some thousands of levels) is an
 * {@link UnencodableValueError} like any other value that cannot be written, not a RangeError.
 */
function withinStack(encode: () => string): string {
  try {
    return encode();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new UnencodableValueError('a value nested too deeply to encode (the call stack ran out)');
    }
    throw error;
  }
}

/**
 * The compact layout of `JSON.stringify` (no spaces, UTF-8 kept), with the values written as
 * {@link pythonJsonDumps} writes them. Throws {@link UnencodableValueError} as it does.
 */
export function compactJsonStringify(value: unknown, options: JsonEncodeOptions = {}): string {
  if (writtenAlikeByJsonStringify(value, 0)) {
    const omitted = options.omitTopLevelKey;
    if (
      omitted === undefined ||
      value === null ||
      typeof value !== 'object' ||
      !Object.hasOwn(value, omitted)
    ) {
      return JSON.stringify(value) ?? 'null';
    }
    const { [omitted]: _omitted, ...rest } = value as Record<string, unknown>;
    return JSON.stringify(rest);
  }
  const layout = layoutWith(COMPACT_LAYOUT, options);
  return withinStack(() => serialise(value, new Set(), layout, '', options.omitTopLevelKey) ?? 'null');
}

// Deeper values take the general path, which also reports cycles.
const FAST_PATH_MAX_DEPTH = 32;

/**
 * Whether `JSON.stringify` writes `value` exactly as the compact layout does, so the native encoder
 * (several times faster) can write it: true unless it holds a number whose Python repr differs from
 * JavaScript's (-0, NaN, the infinities, integral values beyond 2^53, magnitudes below 1e-4), a
 * bigint, a boxed primitive, a `toJSON` other than a Date's, or nesting deeper than
 * {@link FAST_PATH_MAX_DEPTH}. Inherited enumerable properties are checked too: that only errs on the
 * side of the general path.
 */
function writtenAlikeByJsonStringify(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'number':
      if (Number.isSafeInteger(value)) return !Object.is(value, -0);
      return Number.isFinite(value) && !Number.isInteger(value) && Math.abs(value) >= 1e-4;
    case 'string':
    case 'boolean':
    case 'undefined':
    case 'function':
    case 'symbol':
      return true;
    case 'bigint':
      return false;
    default:
      break;
  }
  if (value === null) return true;
  if (depth >= FAST_PATH_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!writtenAlikeByJsonStringify(value[index], depth + 1)) return false;
    }
    return true;
  }
  // A Date writes its ISO text (or null when invalid) either way, unless its toJSON was replaced.
  if (value instanceof Date) return (value as Date).toJSON === Date.prototype.toJSON;
  if (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!writtenAlikeByJsonStringify(record[key], depth + 1)) return false;
  }
  return true;
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
