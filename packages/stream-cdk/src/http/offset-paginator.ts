import { HttpStreamDefinitionError } from '../errors/http-stream-definition-error';
import { valueAtPath } from '../internal/value-at-path';
import type { Paginator } from './paginator';

/** Options of {@link offsetPaginator}. */
export interface OffsetPaginatorOptions {
  /** Records per page, sent as `limitParam`. Required, at least 1. */
  limit: number;
  /** Name of the offset parameter. Default `'offset'`. */
  offsetParam?: string;
  /** Name of the limit parameter. Default `'limit'`. */
  limitParam?: string;
  /** Path of the total record count in the body; when given, paging also ends at that total. Default: none. */
  totalPath?: readonly string[];
}

/**
 * Offset and limit pagination: `offset=0&limit=N`, then `offset=N`, `offset=2N`... Ends after a page
 * with fewer than `limit` records, or once `offset + records` reaches the total at `totalPath`.
 * Token `{ offset: n }`.
 */
export function offsetPaginator(options: OffsetPaginatorOptions): Paginator {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1)
    throw new HttpStreamDefinitionError(`offsetPaginator: limit must be an integer >= 1, got ${limit}`);
  const offsetParam = options.offsetParam ?? 'offset';
  const limitParam = options.limitParam ?? 'limit';
  const offsetOf = (token: { offset?: unknown } | undefined): number =>
    typeof token?.offset === 'number' ? token.offset : 0;
  return {
    nextPageToken(response, page) {
      if (page.recordCount < limit) return undefined;
      const next = offsetOf(page.token) + page.recordCount;
      if (options.totalPath !== undefined) {
        const total = valueAtPath(response.body, options.totalPath);
        if (typeof total === 'number' && next >= total) return undefined;
      }
      return { offset: next };
    },
    requestParams: (token) => ({ [offsetParam]: offsetOf(token), [limitParam]: limit }),
  };
}
