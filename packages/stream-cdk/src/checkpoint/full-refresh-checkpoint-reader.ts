import type { JsonObject } from '../protocol/airbyte-protocol';
import type { CheckpointMode, CheckpointReader, SliceSource } from './checkpoint-reader';
import { noCursorState } from './sentinel-states';
import { SliceIterator } from './slice-iterator';

/**
 * Reader of a non-resumable stream: walks every slice, emits no state per slice, and once exhausted
 * returns `{"__ab_no_cursor_state_message": true}` so the stream gets exactly one final STATE.
 */
export class FullRefreshCheckpointReader implements CheckpointReader {
  readonly mode: CheckpointMode = 'full_refresh';
  private readonly slices: SliceIterator;
  private finalCheckpoint = false;

  /** `onNullSlice` is called if the slices contain a `null` item (which ends the stream). */
  constructor(slices: SliceSource, onNullSlice?: () => void) {
    this.slices = new SliceIterator(slices, onNullSlice);
  }

  async next(): Promise<JsonObject | null> {
    const slice = await this.slices.next();
    if (slice === null) this.finalCheckpoint = true;
    return slice;
  }

  observe(): void {
    // Nothing to track: a full refresh restarts from scratch.
  }

  getCheckpoint(): JsonObject | null {
    return this.finalCheckpoint ? noCursorState() : null;
  }
}
