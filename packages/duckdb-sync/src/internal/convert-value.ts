import { toJsonText } from '@sdk/stream-cdk';
import type { ColumnType } from '../column-type';

/** A value ready for the staging table's appender, or why the column cannot hold it. */
export type Converted =
  | { ok: true; value: bigint | number | string | boolean | null }
  | { ok: false; reason: string; widenTo?: 'HUGEINT' };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT128_MIN = -(2n ** 127n);
const INT128_MAX = 2n ** 127n - 1n;
// A shape check only; DuckDB's cast decides the calendar (an impossible date becomes NULL).
const DATE_TIME =
  /^\d{4,}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '+Infinity': Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

const NULL: Converted = { ok: true, value: null };

/**
 * Converts one JSON value (integers beyond 2^53 as bigints) for a column of `type`. Temporal columns are
 * staged as text and cast by DuckDB when the checkpoint is committed.
 */
export function convertValue(value: unknown, type: ColumnType): Converted {
  if (value === null || value === undefined) return NULL;
  switch (type) {
    case 'BIGINT':
    case 'HUGEINT': {
      let integer: bigint;
      if (typeof value === 'bigint') integer = value;
      else if (typeof value === 'number' && Number.isInteger(value)) integer = BigInt(value);
      else return { ok: false, reason: `not an integer (${describe(value)})` };
      if (type === 'BIGINT' && (integer < INT64_MIN || integer > INT64_MAX)) {
        if (integer >= INT128_MIN && integer <= INT128_MAX)
          return { ok: false, reason: '', widenTo: 'HUGEINT' };
      } else if (integer >= INT128_MIN && integer <= INT128_MAX) {
        return { ok: true, value: integer };
      }
      return { ok: false, reason: 'integer beyond the 128-bit range of HUGEINT' };
    }
    case 'DOUBLE':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'bigint') return { ok: true, value: Number(value) };
      if (typeof value === 'string') {
        const special = SPECIAL_DOUBLES[value];
        if (special !== undefined) return { ok: true, value: special };
      }
      return { ok: false, reason: `not a number (${describe(value)})` };
    case 'BOOLEAN':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, reason: `not a boolean (${describe(value)})` };
    case 'TIMESTAMPTZ':
    case 'TIMESTAMP':
    case 'DATE':
      return typeof value === 'string' && DATE_TIME.test(value)
        ? { ok: true, value }
        : {
            ok: false,
            reason: `not an ISO 8601 ${type === 'DATE' ? 'date' : 'date-time'} (${describe(value)})`,
          };
    case 'VARCHAR':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
        return { ok: true, value: String(value) };
      }
      return { ok: true, value: toJsonText(value) };
    case 'JSON':
      return { ok: true, value: toJsonText(value) };
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value)}`;
}
