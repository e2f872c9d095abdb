import { DuckDbSyncError } from './duckdb-sync-error';

/**
 * The source failed: an ERROR trace, a stream that ended INCOMPLETE, or a source command that exited
 * non-zero or was killed. Everything up to the last committed checkpoint of every stream is in the
 * database, and the next sync resumes from there. Code `SYNC_SOURCE_FAILED`.
 */
export class SourceFailedError extends DuckDbSyncError {
  /** The streams that did not complete, in catalog order (`namespace.name` with a namespace). */
  readonly failedStreams: readonly string[];
  /** The exit code of a source command, when it exited with one. */
  readonly exitCode: number | undefined;

  constructor(
    message: string,
    options: { failedStreams?: readonly string[]; exitCode?: number; cause?: unknown } = {},
  ) {
    super('SYNC_SOURCE_FAILED', message, { cause: options.cause });
    this.failedStreams = options.failedStreams ?? [];
    this.exitCode = options.exitCode;
  }
}
