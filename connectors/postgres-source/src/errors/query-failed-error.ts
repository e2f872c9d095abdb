import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** Any other SQL error; `sqlState` is the server's SQLSTATE when there is one. Not retryable. */
export class QueryFailedError extends PostgresSourceError {
  /** The five-character SQLSTATE, or `undefined` when the error did not come from the server. */
  readonly sqlState: string | undefined;

  constructor(message: string, sqlState: string | undefined, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_QUERY_FAILED', message, false, options);
    this.sqlState = sqlState;
  }
}
