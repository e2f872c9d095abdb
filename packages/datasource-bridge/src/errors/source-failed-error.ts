import { BridgeError } from './bridge-error';

/** How an Airbyte ERROR trace classified a failure (`failure_type`). */
export type SourceFailureType = 'system_error' | 'config_error' | 'transient_error';

/**
 * An Airbyte-protocol source reported a failure while the Panoply-style runner drove it. Carries the
 * source's own `failure_type`; `retryable` is true only for `transient_error`, so the runner retries
 * exactly what the source says may succeed on a second try. Code `BRIDGE_SOURCE_FAILED`.
 */
export class SourceFailedError extends BridgeError {
  /** The `failure_type` of the source's ERROR trace (`system_error` when it sent none). */
  readonly failureType: SourceFailureType;
  /** The stream the failure belongs to, when the trace named one. */
  readonly stream: string | undefined;

  constructor(
    message: string,
    options: { failureType?: SourceFailureType; stream?: string; cause?: unknown } = {},
  ) {
    const failureType = options.failureType ?? 'system_error';
    const where = options.stream === undefined ? '' : ` (stream "${options.stream}")`;
    super('BRIDGE_SOURCE_FAILED', `the source failed${where}: ${message} [${failureType}]`, {
      cause: options.cause,
      retryable: failureType === 'transient_error',
    });
    this.failureType = failureType;
    this.stream = options.stream;
  }
}
