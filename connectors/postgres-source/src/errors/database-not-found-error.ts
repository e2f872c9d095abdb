import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The database named in the parameters does not exist (SQLSTATE 3D000). Not retryable. */
export class DatabaseNotFoundError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_DATABASE_NOT_FOUND', message, false, options);
  }
}
