import { type FailureType, StreamCdkError } from './stream-cdk-error';

/** Options of {@link TracedError}. */
export interface TracedErrorOptions {
  /** Classification reported in the ERROR trace. Defaults to `system_error`. */
  failureType?: FailureType;
  /** Extra detail for the platform's logs, shown as `internal_message`. Defaults to none. */
  internalMessage?: string;
  /** The underlying error. Defaults to none. */
  cause?: unknown;
}

/**
 * Throw this from a stream to control the ERROR trace: its user-facing message (without the code
 * prefix), `failure_type` and `internal_message`. Code `CDK_STREAM_FAILED`.
 */
export class TracedError extends StreamCdkError {
  /** The message shown to users, without the `[CODE]` prefix. */
  readonly userMessage: string;
  /** Extra detail for logs, if any. */
  readonly internalMessage: string | undefined;

  constructor(message: string, options: TracedErrorOptions = {}) {
    super('CDK_STREAM_FAILED', message, options);
    this.userMessage = message;
    this.internalMessage = options.internalMessage;
  }
}
