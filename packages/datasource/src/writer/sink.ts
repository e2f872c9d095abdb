import type { DataRecord } from '../data-source';
import type { WriterBatch } from './writer-batch';

/**
 * Where a sink's output stands, saved in the runner's state file together with the state it
 * belongs to. Plain JSON; its shape is the sink's own business.
 */
export type SinkCheckpoint = Readonly<Record<string, unknown>>;

/**
 * Where batches go. `encodeRecord` decides the wire form of one record (its terminator included);
 * the writer measures batch sizes in characters of that form; it may throw for a record it cannot
 * encode (the writer and the runner turn that into `InvalidRecordError`). `sendBatch` must resolve
 * only once the batch is durably accepted, and reject otherwise; the writer retries it, with the same
 * `deduplicationId`.
 *
 * A sink that also implements `checkpoint` and `restoreCheckpoint` gives exactly-once output when
 * run by `runDataSource` with a state file: the runner saves the checkpoint with the state of every
 * batch, and on resume hands it back before the first batch so the sink can cut off what a killed run
 * wrote after it (the JSON-lines sink does).
 */
export interface Sink {
  encodeRecord(record: DataRecord): string;
  sendBatch(batch: WriterBatch): Promise<unknown>;
  /** Releases resources (file handles...). Called by the writer's `close()`. */
  close?(): Promise<void>;
  /**
   * Makes every batch sent so far durable (e.g. fsync) and returns where the output stands. Called by
   * the runner after each batch, before it saves the state. Optional.
   */
  checkpoint?(): Promise<SinkCheckpoint>;
  /**
   * Called by the runner once, before the first batch: with the checkpoint saved with the state being
   * resumed (the sink cuts its output back to it), or `undefined` on a fresh start. May resolve with
   * a line for the run's log. Rejects with `CheckpointMismatchError` when the output cannot be brought
   * back to the checkpoint. Optional; implement it together with `checkpoint`.
   */
  restoreCheckpoint?(checkpoint: SinkCheckpoint | undefined): Promise<string | undefined>;
}
