import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** A server error that usually passes (serialization failure, deadlock, too many connections, lock or statement timeout). Retryable. */
export class TransientDatabaseError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_TRANSIENT', message, true, options);
  }
}
