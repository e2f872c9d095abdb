import type { JsonObject } from '../protocol/airbyte-protocol';

/**
 * Owns a stream's state when the stream delegates it (substreams, partitioned streams). Return the
 * same cursor from `Stream.getCursor()` on every call.
 */
export interface Cursor {
  /** Loads the incoming state; called once before reading. Throws `StateParseError` on bad input. */
  setInitialState(state: JsonObject): void;
  /** Marks `slice` as read (up to its cursor part). */
  closeSlice(slice: JsonObject): void;
  /** The whole state to checkpoint now. */
  getStreamState(): JsonObject;
  /** Whether a record still needs to be synced. */
  shouldBeSynced(record: JsonObject): boolean;
  /** The state of one slice's partition: where to resume it, or null/undefined for "not started". */
  selectState(slice?: JsonObject): JsonObject | null | undefined;
}
