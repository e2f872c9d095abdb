import { SliceError } from '../errors/slice-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { canonicalJson } from './canonical-json';
import type { CheckpointMode, CheckpointReader, SliceSource } from './checkpoint-reader';
import type { Cursor } from './cursor';
import { isFullRefreshCompleteState } from './sentinel-states';
import { SliceIterator } from './slice-iterator';
import { createStreamSlice, isStreamSlice, type StreamSlice } from './stream-slice';

/** Options of {@link CursorBasedCheckpointReader}. */
export interface CursorBasedCheckpointReaderOptions {
  /**
   * True for resumable full refresh cursors: each partition is resumed from
   * `cursor.selectState(partition)`, completed partitions are skipped, and a partition is read again
   * (with the new cursor part) until the cursor marks it complete. Defaults to false: every slice
   * from the stream is read once.
   */
  readStateFromCursor?: boolean;
  /**
   * Accept plain slices as partitions (`createStreamSlice(slice, {})`), the "legacy" slice format of
   * streams written before cursors. Default false: plain slices are a `SliceError`.
   */
  wrapPlainSlices?: boolean;
  /** Mode reported by the reader. Defaults to `resumable_full_refresh` when reading state from the cursor, else `incremental`. */
  mode?: CheckpointMode;
  onNullSlice?: () => void;
}

/**
 * Reader that delegates state to a {@link Cursor}. Slices must be {@link StreamSlice}s. A checkpoint
 * is returned only when the cursor's state changed since the last one (compared by value).
 */
export class CursorBasedCheckpointReader implements CheckpointReader {
  readonly mode: CheckpointMode;
  private readonly cursor: Cursor;
  private readonly slices: SliceIterator;
  private readonly readStateFromCursor: boolean;
  private readonly wrapPlainSlices: boolean;
  private currentSlice: StreamSlice | undefined;
  private previousStateJson: string | undefined;

  constructor(cursor: Cursor, slices: SliceSource, options: CursorBasedCheckpointReaderOptions = {}) {
    this.cursor = cursor;
    this.readStateFromCursor = options.readStateFromCursor ?? false;
    this.wrapPlainSlices = options.wrapPlainSlices ?? false;
    this.mode = options.mode ?? (this.readStateFromCursor ? 'resumable_full_refresh' : 'incremental');
    this.slices = new SliceIterator(slices, options.onNullSlice);
  }

  async next(): Promise<JsonObject | null> {
    if (!this.readStateFromCursor) {
      const slice = await this.nextPartition();
      this.currentSlice = slice ?? undefined;
      return slice;
    }
    if (this.currentSlice !== undefined) {
      const state = this.cursor.selectState(this.currentSlice);
      if (!isFullRefreshCompleteState(state)) {
        this.currentSlice = createStreamSlice(this.currentSlice.partition, state ?? {});
        return this.currentSlice;
      }
    }
    // First call, or the current partition is complete: move to the first partition not yet done.
    for (;;) {
      const partition = await this.nextPartition();
      if (partition === null) {
        this.currentSlice = undefined;
        return null;
      }
      const state = this.cursor.selectState(partition);
      if (isFullRefreshCompleteState(state)) continue;
      this.currentSlice = createStreamSlice(partition.partition, state ?? {});
      return this.currentSlice;
    }
  }

  /**
   * The next partition that is not complete, whatever the state of the current one. For reading
   * partitions at the same time, where each read covers a whole partition (substreams): `next()` would
   * wait for the current partition's completion before moving on. With `readStateFromCursor`, the
   * slice carries the partition's cursor state, and completed partitions are skipped.
   */
  async nextUnstartedPartition(): Promise<JsonObject | null> {
    for (;;) {
      const partition = await this.nextPartition();
      if (partition === null) {
        this.currentSlice = undefined;
        return null;
      }
      if (!this.readStateFromCursor) {
        this.currentSlice = partition;
        return partition;
      }
      const state = this.cursor.selectState(partition);
      if (isFullRefreshCompleteState(state)) continue;
      this.currentSlice = createStreamSlice(partition.partition, state ?? {});
      return this.currentSlice;
    }
  }

  observe(): void {
    // The cursor owns the state; nothing to record here.
  }

  getCheckpoint(): JsonObject | null {
    const state = this.cursor.getStreamState();
    const json = canonicalJson(state);
    if (json === this.previousStateJson) return null;
    this.previousStateJson = json;
    return state;
  }

  private async nextPartition(): Promise<StreamSlice | null> {
    const slice = await this.slices.next();
    if (slice === null) return null;
    if (!isStreamSlice(slice) && this.wrapPlainSlices) return createStreamSlice(slice, {});
    if (!isStreamSlice(slice)) {
      throw new SliceError(
        `a stream read with a cursor must yield StreamSlice objects (createStreamSlice), got ${canonicalJson(slice)}`,
      );
    }
    return slice;
  }
}
