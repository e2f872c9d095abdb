import type { JsonObject } from '../protocol/airbyte-protocol';
import type { CheckpointMode, CheckpointReader, SliceSource } from './checkpoint-reader';
import { SliceIterator } from './slice-iterator';

/**
 * Reader of a stream with a cursor: one checkpoint per slice (whatever was last observed). After the
 * last slice it returns `null`, since the end of every slice was already checkpointed; if there were
 * no slices at all it returns the incoming state, so a stream always emits at least one STATE.
 */
export class IncrementalCheckpointReader implements CheckpointReader {
  readonly mode: CheckpointMode = 'incremental';
  private readonly slices: SliceIterator;
  private state: JsonObject | null;
  private hasSlices = false;

  constructor(streamState: JsonObject | null, slices: SliceSource, onNullSlice?: () => void) {
    this.state = streamState;
    this.slices = new SliceIterator(slices, onNullSlice);
  }

  async next(): Promise<JsonObject | null> {
    const slice = await this.slices.next();
    if (slice === null) {
      if (this.hasSlices) this.state = null;
      return null;
    }
    this.hasSlices = true;
    return slice;
  }

  observe(state: JsonObject | null | undefined): void {
    this.state = state ?? null;
  }

  getCheckpoint(): JsonObject | null {
    return this.state;
  }
}
