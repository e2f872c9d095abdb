import { ChunkerConfigError } from '../errors/chunker-config-error.js';
import type { ExtraFieldsPolicy } from './row-value-normalizer.js';

/**
 * Returns `value`, or `fallback` when undefined; throws unless it is a safe integer from `minimum` to
 * `maximum`.
 */
export function positiveIntegerOption(
  option: string,
  value: number | undefined,
  fallback: number,
  minimum = 1,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `>= ${minimum}` : `from ${minimum} to ${maximum}`;
    throw new ChunkerConfigError(option, `expected an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** Validates the `extraFields` option; defaults to `'error'` so that no row data is dropped silently. */
export function extraFieldsOption(value: string | undefined): ExtraFieldsPolicy {
  if (value === undefined) return 'error';
  if (value !== 'error' && value !== 'ignore') {
    throw new ChunkerConfigError('extraFields', `expected 'error' or 'ignore', got ${String(value)}`);
  }
  return value;
}

/** Validates the `integers` inference option; defaults to `'float64'`. */
export function integersOption(value: string | undefined): 'float64' | 'int32' | 'int64' {
  if (value === undefined) return 'float64';
  if (value !== 'float64' && value !== 'int32' && value !== 'int64') {
    throw new ChunkerConfigError('integers', `expected 'float64', 'int32' or 'int64', got ${String(value)}`);
  }
  return value;
}
