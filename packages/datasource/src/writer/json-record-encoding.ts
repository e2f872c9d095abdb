import { ConfigError } from '../errors/config-error';
import { toInvalidRecordError } from '../internal/invalid-record';
import { compactJsonStringify } from '../internal/python-json';

/**
 * How every sink writes NaN, Infinity and -Infinity. `'python'` (the default): as Python's `json`
 * writes and reads them, the bare tokens `NaN`, `Infinity`, `-Infinity` (not strict JSON; Python,
 * and `JSON5`-style readers, read them back). `'error'`: the record is refused with
 * `InvalidRecordError`, for outputs that must stay strict JSON. Never `null`.
 */
export type NonFiniteNumbers = 'python' | 'error';

/** Options of {@link encodeJsonRecord}. */
export interface JsonRecordEncodingOptions {
  /** Defaults to `'python'`. */
  nonFiniteNumbers?: NonFiniteNumbers;
}

/**
 * One record as the JSON-lines sink writes it (without the newline): compact like `JSON.stringify`,
 * with values written as in the Panoply HTTP body: bigints as exact integers, `-0` as `-0.0`,
 * floats with Python's repr, non-finite numbers per `nonFiniteNumbers`. Use it in your own sinks to
 * write the same values. Throws `InvalidRecordError` (saying where) for a cycle, or a non-finite
 * number in `'error'` mode.
 */
export function encodeJsonRecord(record: unknown, options: JsonRecordEncodingOptions = {}): string {
  try {
    return compactJsonStringify(record, { nonFiniteNumbers: options.nonFiniteNumbers ?? 'python' });
  } catch (error) {
    throw toInvalidRecordError(error, 'the record');
  }
}

/** Checks a `nonFiniteNumbers` option (for the sinks; not part of the package's API). */
export function checkNonFiniteNumbers(value: unknown): NonFiniteNumbers {
  if (value === undefined) return 'python';
  if (value === 'python' || value === 'error') return value;
  throw new ConfigError(`nonFiniteNumbers must be 'python' or 'error', got ${JSON.stringify(value)}`);
}
