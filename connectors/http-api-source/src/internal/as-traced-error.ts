import { TracedError } from '@sdk/stream-cdk';
import type { HttpApiSourceError } from '../errors/http-api-source-error';

/**
 * Wraps a connector error for the CDK, which reads the ERROR trace's `failure_type` only from its own
 * error classes: the trace gets the connector error's failure type, its message (code first) as
 * `internal_message`, and the connector error as `cause`.
 */
export function asTracedError(error: HttpApiSourceError): TracedError {
  return new TracedError(error.message.replace(/^\[[A-Z_]+\] /, ''), {
    failureType: error.failureType,
    internalMessage: error.message,
    cause: error,
  });
}
