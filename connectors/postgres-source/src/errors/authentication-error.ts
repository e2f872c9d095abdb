import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The server rejected the user or password (SQLSTATE 28P01 / 28000). Not retryable: the same credentials fail again. */
export class AuthenticationError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_AUTH_FAILED', message, false, options);
  }
}
