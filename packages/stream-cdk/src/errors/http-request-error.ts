import { type FailureType, StreamCdkError } from './stream-cdk-error';

/** Codes an {@link HttpRequestError} can carry. */
export type HttpRequestErrorCode = 'CDK_HTTP_STATUS' | 'CDK_HTTP_NETWORK' | 'CDK_HTTP_TIMEOUT';

/** Options of {@link HttpRequestError}. */
export interface HttpRequestErrorOptions {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Attempts made, including the first. Defaults to 1. */
  attempts?: number;
  /** The underlying error. */
  cause?: unknown;
  /** Defaults to `transient_error` for retryable failures, else `system_error`. */
  failureType?: FailureType;
}

/**
 * An HTTP request failed: a non-retryable status, a retryable one after every retry, a network error
 * or a timeout. The URL in the message never contains query strings (they may carry secrets).
 */
export class HttpRequestError extends StreamCdkError {
  /** HTTP status of the last response, or undefined for network errors and timeouts. */
  readonly status: number | undefined;
  /** Attempts made, including the first. */
  readonly attempts: number;

  constructor(code: HttpRequestErrorCode, message: string, options: HttpRequestErrorOptions = {}) {
    super(code, message, options);
    this.status = options.status;
    this.attempts = options.attempts ?? 1;
  }
}
