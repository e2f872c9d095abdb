import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The server could not be reached (refused, unknown host, timed out). Retryable: servers restart. */
export class ServerUnreachableError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_UNREACHABLE', message, true, options);
  }
}
