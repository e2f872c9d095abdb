import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** A selected table has no primary key, so rows cannot be read in a stable order and resumed exactly. Not retryable. */
export class NoPrimaryKeyError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_NO_PRIMARY_KEY', message, false, options);
  }
}
