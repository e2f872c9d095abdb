import { isAbsentToken, valueAtPath } from '../internal/value-at-path';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { HttpResponseData } from './http-response-data';
import type { Paginator } from './paginator';

/** Options of {@link cursorPaginator}. */
export interface CursorPaginatorOptions {
  /**
   * Where the next cursor is in a response: a path in the JSON body (e.g. `['meta', 'next_cursor']`),
   * `{ header: 'X-Next-Cursor' }`, or a function. Required.
   */
  cursorFrom: readonly string[] | { header: string } | ((response: HttpResponseData) => unknown);
  /** Name of the parameter that carries the cursor. Default `'cursor'`. */
  param?: string;
  /** Where the cursor goes: `'query'` (default), `'header'` or `'body'` (a JSON body field). */
  injectInto?: 'query' | 'header' | 'body';
}

/**
 * Next token / cursor pagination: the response names the next page's cursor, which is sent as one
 * parameter. Ends on any absent cursor: missing, `null` or `''`. Token `{ cursor: value }`.
 */
export function cursorPaginator(options: CursorPaginatorOptions): Paginator {
  const param = options.param ?? 'cursor';
  const injectInto = options.injectInto ?? 'query';
  const { cursorFrom } = options;
  const read = (response: HttpResponseData): unknown => {
    if (typeof cursorFrom === 'function') return cursorFrom(response);
    if (Array.isArray(cursorFrom)) return valueAtPath(response.body, cursorFrom);
    return response.headers.get((cursorFrom as { header: string }).header);
  };
  const cursorOf = (token: JsonObject | undefined): string | number | boolean | undefined => {
    const cursor = token?.cursor;
    return typeof cursor === 'string' || typeof cursor === 'number' || typeof cursor === 'boolean'
      ? cursor
      : undefined;
  };
  return {
    nextPageToken(response) {
      const cursor = read(response);
      if (isAbsentToken(cursor)) return undefined;
      if (typeof cursor !== 'string' && typeof cursor !== 'number' && typeof cursor !== 'boolean')
        return undefined;
      return { cursor };
    },
    requestParams: (token) => (injectInto === 'query' ? { [param]: cursorOf(token) } : {}),
    requestHeaders(token) {
      const cursor = cursorOf(token);
      return injectInto === 'header' && cursor !== undefined ? { [param]: String(cursor) } : {};
    },
    requestBodyJson(token) {
      const cursor = cursorOf(token);
      return injectInto === 'body' && cursor !== undefined ? { [param]: cursor } : undefined;
    },
  };
}
