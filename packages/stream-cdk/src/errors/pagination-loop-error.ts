import { StreamCdkError } from './stream-cdk-error';

/**
 * A paginated HTTP stream asked for a request it had already sent in the same pagination run (the
 * same request twice in a row, or the run's first request again), so paging would never end. Usually
 * `nextPageToken` turned an absent token (`null`, `''`) into a token: return undefined instead. Turn
 * the guard off with `HttpStream.paginationLoopGuard` for APIs that answer the same request
 * differently over time (polling). Code `CDK_PAGINATION_LOOP`, a `system_error`.
 */
export class PaginationLoopError extends StreamCdkError {
  /** The stream that looped. */
  readonly stream: string;

  constructor(stream: string, message: string) {
    super('CDK_PAGINATION_LOOP', message, { failureType: 'system_error' });
    this.stream = stream;
  }
}
