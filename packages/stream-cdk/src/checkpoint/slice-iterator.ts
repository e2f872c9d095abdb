import type { JsonObject } from '../protocol/airbyte-protocol';
import type { SliceSource } from './checkpoint-reader';

/**
 * Pulls slices one at a time from a sync or async iterable. Resolves `null` at the end and on a
 * `null` item (calling `onNullSlice` once, so the caller can log why the stream stopped early).
 */
export class SliceIterator {
  private readonly iterator: Iterator<JsonObject | null> | AsyncIterator<JsonObject | null>;
  private finished = false;
  private readonly onNullSlice: (() => void) | undefined;

  constructor(slices: SliceSource, onNullSlice?: () => void) {
    // A literal `[null]` meant "one slice with no parameters" in older connectors.
    const normalised = Array.isArray(slices) && slices.length === 1 && slices[0] === null ? [{}] : slices;
    this.iterator =
      Symbol.asyncIterator in normalised
        ? (normalised as AsyncIterable<JsonObject | null>)[Symbol.asyncIterator]()
        : (normalised as Iterable<JsonObject | null>)[Symbol.iterator]();
    this.onNullSlice = onNullSlice;
  }

  /** The next slice, or `null` when exhausted or stopped by a `null` item. */
  async next(): Promise<JsonObject | null> {
    if (this.finished) return null;
    const result = await this.iterator.next();
    if (result.done) {
      this.finished = true;
      return null;
    }
    if (result.value === null || result.value === undefined) {
      this.finished = true;
      this.onNullSlice?.();
      return null;
    }
    return result.value;
  }
}
