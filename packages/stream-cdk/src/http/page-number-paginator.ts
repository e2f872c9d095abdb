import { HttpStreamDefinitionError } from '../errors/http-stream-definition-error';
import { valueAtPath } from '../internal/value-at-path';
import type { Paginator } from './paginator';

/** Options of {@link pageNumberPaginator}. */
export interface PageNumberPaginatorOptions {
  /** Records per page. Required, at least 1. */
  pageSize: number;
  /** Name of the page number parameter. Default `'page'`. */
  pageParam?: string;
  /** Name of the page size parameter; `null` sends none. Default `'per_page'`. */
  pageSizeParam?: string | null;
  /** Number of the first page. Default 1. */
  startPage?: number;
  /** Path of the total page count in the body; when given, paging also ends on that page. Default: none. */
  totalPagesPath?: readonly string[];
}

/**
 * Page number pagination: `page=1&per_page=N`, `page=2`... Ends after a page with fewer than
 * `pageSize` records, or on the last page named at `totalPagesPath`. Token `{ page: n }`.
 */
export function pageNumberPaginator(options: PageNumberPaginatorOptions): Paginator {
  const { pageSize } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new HttpStreamDefinitionError(
      `pageNumberPaginator: pageSize must be an integer >= 1, got ${pageSize}`,
    );
  const pageParam = options.pageParam ?? 'page';
  const pageSizeParam = options.pageSizeParam === undefined ? 'per_page' : options.pageSizeParam;
  const startPage = options.startPage ?? 1;
  const pageOf = (token: { page?: unknown } | undefined): number =>
    typeof token?.page === 'number' ? token.page : startPage;
  return {
    nextPageToken(response, page) {
      if (page.recordCount < pageSize) return undefined;
      const current = pageOf(page.token);
      if (options.totalPagesPath !== undefined) {
        const totalPages = valueAtPath(response.body, options.totalPagesPath);
        if (typeof totalPages === 'number' && current - startPage + 1 >= totalPages) return undefined;
      }
      return { page: current + 1 };
    },
    requestParams: (token) =>
      pageSizeParam === null
        ? { [pageParam]: pageOf(token) }
        : { [pageParam]: pageOf(token), [pageSizeParam]: pageSize },
  };
}
