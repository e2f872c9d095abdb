import { InvalidStateError } from './errors/invalid-state-error';

/** A key value as saved in the state: what `pg` returned for the column (numbers, text, booleans). */
export type KeyValue = string | number | boolean;

/**
 * The resume position of one table, saved under the key `schema.table` (Panoply's "table name as
 * state key", so the runner's shallow merge keeps one entry per table).
 */
export interface TablePosition {
  /** The ordering columns the position refers to: the incremental key (if any), then the primary key. */
  readonly keys: readonly string[];
  /** The ordering key of the last row returned; reading continues strictly after it. */
  readonly after: readonly KeyValue[];
  /** Rows of this table returned so far, across resumed runs. */
  readonly loaded: number;
  /** The last batch of the table was returned (the cursor was exhausted). */
  readonly complete: boolean;
}

/** The whole state: one position per table key. */
export type SourcePositions = Map<string, TablePosition>;

function isKeyValue(value: unknown): value is KeyValue {
  return typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
}

/**
 * Reads the state the runner passes as `source.state` (absent on a first run). Throws
 * {@link InvalidStateError} when an entry does not have the shape {@link TablePosition} describes.
 */
export function parseSourcePositions(state: unknown): SourcePositions {
  const positions: SourcePositions = new Map();
  if (state === undefined || state === null) return positions;
  if (typeof state !== 'object' || Array.isArray(state)) {
    throw new InvalidStateError('the saved state must be an object keyed by schema.table');
  }
  for (const [table, entry] of Object.entries(state)) {
    const candidate = entry as Partial<TablePosition> | null;
    const valid =
      typeof candidate === 'object' &&
      candidate !== null &&
      Array.isArray(candidate.keys) &&
      candidate.keys.length > 0 &&
      candidate.keys.every((key) => typeof key === 'string') &&
      Array.isArray(candidate.after) &&
      candidate.after.length === candidate.keys.length &&
      candidate.after.every(isKeyValue) &&
      Number.isInteger(candidate.loaded) &&
      (candidate.loaded as number) >= 0 &&
      typeof candidate.complete === 'boolean';
    if (!valid) {
      throw new InvalidStateError(
        `the saved state of ${table} must be { keys: string[], after: values[] (same length), loaded: integer, complete: boolean }`,
      );
    }
    positions.set(table, candidate as TablePosition);
  }
  return positions;
}
