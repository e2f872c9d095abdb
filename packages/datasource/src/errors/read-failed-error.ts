import { DatasourceError } from './datasource-error';

/**
 * The runner gave up on `read`: either the error was not retryable, or every attempt failed.
 * `cause` is the last error; `attempts` how many reads of that batch were tried.
 */
export class ReadFailedError extends DatasourceError {
  /** How many times `read` was called for the batch that failed. */
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('DATASOURCE_READ_FAILED', `read failed after ${attempts} attempt(s): ${reason}`, {
      cause,
      retryable: false,
    });
    this.attempts = attempts;
  }
}
