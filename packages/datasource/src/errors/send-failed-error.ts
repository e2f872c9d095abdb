import type { WriterBatch } from '../writer/writer-batch';
import { DatasourceError } from './datasource-error';

/**
 * A batch still failed after every send attempt. It is handed to the writer's `error` event and kept
 * in `failedBatches`, so no record is lost silently. `cause` is the last attempt's error.
 */
export class SendFailedError extends DatasourceError {
  /** The batch that could not be delivered, records included. */
  readonly batch: WriterBatch;
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(batch: WriterBatch, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'DATASOURCE_SEND_FAILED',
      `batch of ${batch.records.length} records failed after ${attempts} attempts: ${reason}`,
      { cause },
    );
    this.batch = batch;
    this.attempts = attempts;
  }
}
