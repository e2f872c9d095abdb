import type { JsonObject } from '../protocol/airbyte-protocol';
import type { HttpResponseData } from './http-response-data';
import type { QueryParams } from './query-params';

/** What a paginator knows about the page just read, besides the response. */
export interface PageContext {
  /** The token the page was requested with; undefined for the first page. */
  readonly token: JsonObject | undefined;
  /** How many records `parseResponse` produced for the page (before `transformRecord`). */
  readonly recordCount: number;
}

/**
 * How an {@link HttpStream} pages: the token of the next page (undefined after the last one, which
 * ends paging) and what a token adds to the request. Tokens are JSON objects because they become the
 * state of resumable full refresh. Use the helpers (`cursorPaginator`, `offsetPaginator`,
 * `pageNumberPaginator`, `linkHeaderPaginator`) and `stopPagingWhen` to add a stop condition, or
 * implement it yourself.
 */
export interface Paginator {
  /** The token of the next page, or undefined when this page was the last. */
  nextPageToken(response: HttpResponseData, page: PageContext): JsonObject | undefined;
  /** Query parameters for a page (`token` undefined: the first page). Default: none. */
  requestParams?(token: JsonObject | undefined): QueryParams;
  /** Headers for a page. Default: none. */
  requestHeaders?(token: JsonObject | undefined): Record<string, string>;
  /** Fields merged into the JSON body of a page. Default: none. */
  requestBodyJson?(token: JsonObject | undefined): JsonObject | undefined;
  /** An absolute URL replacing `urlBase` + `path` for a page (e.g. a `Link` header's). Default: none. */
  requestUrl?(token: JsonObject | undefined): string | undefined;
}

/**
 * `paginator` with one more stop condition: paging ends when `stop(response, page)` is true, even if
 * the paginator found a next token (e.g. "an empty page is the last").
 */
export function stopPagingWhen(
  paginator: Paginator,
  stop: (response: HttpResponseData, page: PageContext) => boolean,
): Paginator {
  return {
    ...bindOptional(paginator),
    nextPageToken: (response, page) =>
      stop(response, page) ? undefined : paginator.nextPageToken(response, page),
  };
}

function bindOptional(paginator: Paginator): Omit<Paginator, 'nextPageToken'> {
  return {
    requestParams: paginator.requestParams?.bind(paginator),
    requestHeaders: paginator.requestHeaders?.bind(paginator),
    requestBodyJson: paginator.requestBodyJson?.bind(paginator),
    requestUrl: paginator.requestUrl?.bind(paginator),
  };
}
