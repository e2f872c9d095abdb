import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The user may not read a selected table (SQLSTATE 42501). Not retryable. */
export class PermissionDeniedError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_PERMISSION_DENIED', message, false, options);
  }
}
