import type { JsonObject } from '../protocol/airbyte-protocol';
import type { CheckpointMode, CheckpointReader } from './checkpoint-reader';
import { fullRefreshCompleteState, isEmptyState, isFullRefreshCompleteState } from './sentinel-states';

/**
 * How a finished resumable full refresh is written on the wire: `'sentinel'` (default,
 * `{"__ab_full_refresh_sync_complete": true}`, so a retried attempt does not read the stream again)
 * or `'empty-object'` (`{}`, the original design, which cannot tell "done" from "not started").
 */
export type ResumableFullRefreshCompletion = 'sentinel' | 'empty-object';

/** Options of {@link ResumableFullRefreshCheckpointReader}. */
export interface ResumableFullRefreshOptions {
  /** Defaults to `'sentinel'`. */
  completion?: ResumableFullRefreshCompletion;
  /**
   * Treat an incoming completion sentinel as "start over" instead of "already done". For
   * orchestrators that keep state across jobs rather than attempts. Defaults to false.
   */
  ignoreIncomingCompletion?: boolean;
}

type Progress = { kind: 'start' } | { kind: 'page'; token: JsonObject } | { kind: 'complete' };

/**
 * Reader of a stream that owns page-token state without a cursor. The state is the slice: the first
 * `next()` on `{}` reads the first page, later calls return the last observed token, and `{}` or the
 * sentinel observed from the stream ends it. A checkpoint exists after every page; an incoming
 * sentinel means no page is read and one STATE (the sentinel) is emitted.
 */
export class ResumableFullRefreshCheckpointReader implements CheckpointReader {
  readonly mode: CheckpointMode = 'resumable_full_refresh';
  private progress: Progress;
  private firstPage: boolean;
  private readonly completion: ResumableFullRefreshCompletion;

  constructor(streamState: JsonObject | null | undefined, options: ResumableFullRefreshOptions = {}) {
    this.completion = options.completion ?? 'sentinel';
    if (isFullRefreshCompleteState(streamState) && options.ignoreIncomingCompletion !== true) {
      this.progress = { kind: 'complete' };
      this.firstPage = false;
    } else if (isEmptyState(streamState) || isFullRefreshCompleteState(streamState)) {
      this.progress = { kind: 'start' };
      this.firstPage = true;
    } else {
      this.progress = { kind: 'page', token: streamState as JsonObject };
      this.firstPage = false;
    }
  }

  async next(): Promise<JsonObject | null> {
    if (this.firstPage) {
      this.firstPage = false;
      if (this.progress.kind === 'complete') return null;
      return this.progress.kind === 'page' ? this.progress.token : {};
    }
    if (this.progress.kind === 'page') return this.progress.token;
    return null;
  }

  /** `{}`, null and the sentinel all mean "no more pages"; anything else is the next page token. */
  observe(state: JsonObject | null | undefined): void {
    this.progress =
      isEmptyState(state) || isFullRefreshCompleteState(state)
        ? { kind: 'complete' }
        : { kind: 'page', token: state as JsonObject };
  }

  getCheckpoint(): JsonObject | null {
    switch (this.progress.kind) {
      case 'start':
        return {};
      case 'page':
        return this.progress.token;
      case 'complete':
        return this.completion === 'sentinel' ? fullRefreshCompleteState() : {};
    }
  }
}
