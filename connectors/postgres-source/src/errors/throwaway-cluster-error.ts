import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** The throwaway test cluster could not be created or started (for example PostgreSQL's server binaries are not installed). Not retryable. */
export class ThrowawayClusterError extends PostgresSourceError {
  constructor(message: string, options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_THROWAWAY_CLUSTER', message, false, options);
  }
}
