import {
  type HttpAuthenticator,
  type HttpRequestArgs,
  type HttpResponseData,
  HttpStream,
  type JsonObject,
  type QueryParams,
  type RetryPolicy,
} from '@sdk/stream-cdk';
import { InvalidResponseError } from '../errors/invalid-response-error';
import { asTracedError } from '../internal/as-traced-error';
import type { StreamContext } from '../internal/stream-context';

/**
 * What the sample API's endpoints have in common: `<base_url>/v1`, the shared authenticator and
 * retry policy, `{data: [...], next_page_token}` bodies, and `limit` / `page_token` query parameters.
 */
export abstract class SampleApiStream extends HttpStream {
  constructor(protected readonly context: StreamContext) {
    super();
  }

  get urlBase(): string {
    return this.context.apiUrl;
  }

  override get authenticator(): HttpAuthenticator {
    return this.context.authenticator;
  }

  override get retryPolicy(): Partial<RetryPolicy> {
    return this.context.retryPolicy;
  }

  override requestParams(args: HttpRequestArgs): QueryParams {
    const token = args.nextPageToken?.page_token;
    return { limit: this.context.pageSize, page_token: typeof token === 'string' ? token : undefined };
  }

  /** `{page_token}` from the body's `next_page_token`; undefined after the last page. */
  nextPageToken(response: HttpResponseData): JsonObject | undefined {
    const next = (response.body as { next_page_token?: unknown } | undefined)?.next_page_token;
    return typeof next === 'string' && next !== '' ? { page_token: next } : undefined;
  }

  parseResponse(response: HttpResponseData): Iterable<JsonObject> {
    return this.recordsOf(response);
  }

  /** The body's `data` array; anything else is an `HTTP_API_RESPONSE_INVALID` failure of the stream. */
  protected recordsOf(response: HttpResponseData): JsonObject[] {
    const data = (response.body as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(data) || data.some((item) => typeof item !== 'object' || item === null)) {
      throw asTracedError(
        new InvalidResponseError(
          `${this.name}: the answer of ${describe(response.url)} has no "data" array of objects`,
        ),
      );
    }
    return data as JsonObject[];
  }
}

/** The URL without its query string (which may carry page tokens). */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
