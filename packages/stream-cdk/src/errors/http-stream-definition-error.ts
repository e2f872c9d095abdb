import { StreamCdkError } from './stream-cdk-error';

/**
 * An {@link HttpStream} or paginator is defined or configured in a way that cannot work (a page size
 * below 1, a records path that points at something that is not a list of objects, a response body
 * that is not JSON where JSON is needed). Code `CDK_HTTP_STREAM_INVALID`, a `system_error`.
 */
export class HttpStreamDefinitionError extends StreamCdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CDK_HTTP_STREAM_INVALID', message, { ...options, failureType: 'system_error' });
  }
}
