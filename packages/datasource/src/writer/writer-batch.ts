import type { DataRecord } from '../data-source';

/** One batch the writer hands to its sink. */
export interface WriterBatch {
  /** 1-based, in the order batches were sealed. */
  readonly sequence: number;
  /** The records, each a copy of what was written, with `__table` set. */
  readonly records: readonly DataRecord[];
  /** The encoded records, concatenated (each with its sink-specific terminator). */
  readonly body: string;
  /**
   * An id a receiver uses to drop replays of the batch (at most 128 characters of `[A-Za-z0-9.+-]`).
   * From the runner it is derived from the batch's position in the source: the run id (kept in the
   * state file across resumes), the batch's ordinal in the run, the first record's index in it and the
   * record count, and a digest of the records without `__state`, so a batch sent again after a
   * kill or a retry carries the same id, and different records never share one. From a standalone
   * writer: the writer's random id and `sequence` (retries of a batch share it). The Panoply HTTP
   * sink sends it as a message attribute or as SQS `MessageDeduplicationId`.
   */
  readonly deduplicationId?: string;
}
