import { DatasourceError } from './datasource-error';

/** Raised by `write` when a record is not a plain object or cannot be serialised. Not retryable. */
export class InvalidRecordError extends DatasourceError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DATASOURCE_INVALID_RECORD', message, { ...options, retryable: false });
  }
}
