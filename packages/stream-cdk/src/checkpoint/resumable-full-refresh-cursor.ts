import type { JsonObject } from '../protocol/airbyte-protocol';
import type { Cursor } from './cursor';
import { isStreamSlice } from './stream-slice';

/**
 * Cursor of a single-partition resumable full refresh: the state is the cursor part of the last
 * closed slice (a page token, or the completion sentinel after the last page).
 */
export class ResumableFullRefreshCursor implements Cursor {
  private cursor: JsonObject = {};

  setInitialState(state: JsonObject): void {
    this.cursor = state;
  }

  /** Remembers the slice's `cursorSlice` (for a plain slice, the slice itself). */
  closeSlice(slice: JsonObject): void {
    this.cursor = isStreamSlice(slice) ? slice.cursorSlice : slice;
  }

  getStreamState(): JsonObject {
    return this.cursor;
  }

  shouldBeSynced(): boolean {
    return true;
  }

  selectState(): JsonObject {
    return this.cursor;
  }
}
