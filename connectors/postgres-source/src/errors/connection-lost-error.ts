import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The connection dropped during a read (server restart, terminated backend, network). Retryable: the next read reconnects and continues after the last returned row. */
export class ConnectionLostError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_CONNECTION_LOST', message, true, options);
  }
}
