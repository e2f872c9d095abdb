import type { DataRecord } from '../data-source';

/** One batch the writer hands to its sink. */
export interface WriterBatch {
  /** 1-based, in the order batches were sealed. */
  readonly sequence: number;
  /** The records, each a copy of what was written, with `__table` set. */
  readonly records: readonly DataRecord[];
  /** The encoded records, concatenated (each with its sink-specific terminator). */
  readonly body: string;
}
