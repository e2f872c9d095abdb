import type { DataRecord } from '../data-source';
import type { WriterBatch } from './writer-batch';

/**
 * Where batches go. `encodeRecord` decides the wire form of one record (its terminator included);
 * the writer measures batch sizes in characters of that form. `sendBatch` must resolve only once the
 * batch is durably accepted, and reject otherwise; the writer retries it.
 */
export interface Sink {
  encodeRecord(record: DataRecord): string;
  sendBatch(batch: WriterBatch): Promise<unknown>;
  /** Releases resources (file handles...). Called by the writer's `close()`. */
  close?(): Promise<void>;
}
