import type { JsonObject } from '../protocol/airbyte-protocol';

/**
 * How a stream checkpoints, decided from the stream's shape (never from the configured sync mode):
 * `incremental` (has a cursor field), `resumable_full_refresh` (owns page-token state, no cursor),
 * `full_refresh` (no resumable state).
 */
export type CheckpointMode = 'incremental' | 'resumable_full_refresh' | 'full_refresh';

/**
 * Drives a stream's slices and decides which state to emit.
 * - `next()` resolves to the next slice to read, or `null` when the stream is finished.
 * - `observe(state)` feeds the stream's current state (after a page or slice, or at an interval).
 * - `getCheckpoint()` is the state to emit now, or `null` for "emit nothing".
 */
export interface CheckpointReader {
  /** The mode this reader implements. */
  readonly mode: CheckpointMode;
  next(): Promise<JsonObject | null>;
  observe(state: JsonObject | null | undefined): void;
  getCheckpoint(): JsonObject | null;
}

/** Slices as a stream produces them: a sync or async iterable; a `null` item ends the iteration. */
export type SliceSource = Iterable<JsonObject | null> | AsyncIterable<JsonObject | null>;
