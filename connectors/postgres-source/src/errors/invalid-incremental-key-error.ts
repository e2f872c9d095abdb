import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The incremental key column is missing from a selected table, or is nullable. Not retryable. */
export class InvalidIncrementalKeyError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_INVALID_INCREMENTAL_KEY', message, false, options);
  }
}
