import type { FailureType } from '../errors/stream-cdk-error';

/**
 * What to do with an HTTP response (the Python CDK's `ErrorResolution`):
 * - `success`: a page to parse;
 * - `retry`: try again with backoff (`backoffMs` overrides the computed delay), until `maxRetries`;
 * - `fail`: end the stream with an `HttpRequestError` (`CDK_HTTP_STATUS`) carrying `failureType`
 *   (default from the status: 429/5xx transient, 401/403 config, else system) and `message`;
 * - `ignore`: read it as an empty last page (e.g. "404 means no data"), logged at INFO;
 * - `skip_stream`: stop reading the stream for this read without failing it, with a WARN log.
 */
export type HttpResponseResolution =
  | { readonly action: 'success' }
  | { readonly action: 'retry'; readonly backoffMs?: number }
  | { readonly action: 'fail'; readonly failureType?: FailureType; readonly message?: string }
  | { readonly action: 'ignore'; readonly message?: string }
  | { readonly action: 'skip_stream'; readonly message?: string };
