import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The saved state has an unexpected shape, or was saved for other key columns than the table has now. Not retryable. */
export class InvalidStateError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_INVALID_STATE', message, false, options);
  }
}
