import { SliceError } from '../errors/slice-error';
import { StateParseError } from '../errors/state-parse-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { canonicalJson } from './canonical-json';
import type { Cursor } from './cursor';
import { fullRefreshCompleteState } from './sentinel-states';
import { isStreamSlice } from './stream-slice';

/** One partition's entry in substream state. */
export interface PartitionState {
  partition: JsonObject;
  cursor: JsonObject;
}

/**
 * Per-partition cursor of a substream: state `{"states": [{partition, cursor}]}`, one entry per parent
 * partition, keyed by the partition's canonical JSON (sorted keys). Closing a slice marks its whole
 * partition complete, so a resumed read skips parents already done and re-reads the one in progress.
 */
export class SubstreamResumableFullRefreshCursor implements Cursor {
  private readonly states = new Map<string, PartitionState>();

  /** Accepts `{}` (nothing done yet) or `{"states": [...]}`; anything else is a `StateParseError`. */
  setInitialState(state: JsonObject): void {
    if (state === null || state === undefined || Object.keys(state).length === 0) return;
    const entries = state.states;
    if (!Array.isArray(entries)) {
      throw new StateParseError(
        `substream state must look like {"states": [{"partition": {...}, "cursor": {...}}]}, got keys: ${Object.keys(state).join(', ')}`,
      );
    }
    for (const [index, entry] of entries.entries()) {
      const candidate = entry as Partial<PartitionState> | null;
      if (
        typeof candidate?.partition !== 'object' ||
        candidate.partition === null ||
        typeof candidate.cursor !== 'object'
      ) {
        throw new StateParseError(
          `substream state entry ${index} needs object "partition" and "cursor" fields`,
        );
      }
      this.states.set(canonicalJson(candidate.partition), {
        partition: candidate.partition,
        cursor: candidate.cursor ?? {},
      });
    }
  }

  /** Marks the slice's partition complete (the `partition` part of a StreamSlice, else the slice). */
  closeSlice(slice: JsonObject): void {
    const partition = isStreamSlice(slice) ? slice.partition : slice;
    this.states.set(canonicalJson(partition), { partition, cursor: fullRefreshCompleteState() });
  }

  getStreamState(): JsonObject {
    return { states: [...this.states.values()] };
  }

  shouldBeSynced(): boolean {
    return true;
  }

  /** The partition's saved cursor, or undefined when it was never started. Needs a slice. */
  selectState(slice?: JsonObject): JsonObject | undefined {
    if (slice === undefined)
      throw new SliceError('a substream cursor can only select state for a given slice');
    const partition = isStreamSlice(slice) ? slice.partition : slice;
    return this.states.get(canonicalJson(partition))?.cursor;
  }
}
