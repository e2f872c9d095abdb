import { DatasourceError } from './datasource-error';

/** Raised by `write` after `close()` was called. Not retryable. */
export class WriterClosedError extends DatasourceError {
  constructor() {
    super('DATASOURCE_WRITER_CLOSED', 'write() called after close()', { retryable: false });
  }
}
