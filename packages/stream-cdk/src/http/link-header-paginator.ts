import type { Paginator } from './paginator';
import { parseLinkHeader } from './parse-link-header';

/** Options of {@link linkHeaderPaginator}. */
export interface LinkHeaderPaginatorOptions {
  /** The relation of the next page's link. Default `'next'`. */
  rel?: string;
  /**
   * Query parameters removed from the next URL before it becomes the token (and so the state), e.g. an
   * API key that the server echoes into its links. The authenticator adds its own again. Default: none.
   */
  dropParams?: readonly string[];
}

/**
 * Pagination by the `Link` response header (RFC 8288), as GitHub and many REST APIs do: the next
 * page is the link with `rel="next"` (resolved against the request URL), requested as it is. Ends when
 * there is no such link. Token `{ next_url: absoluteUrl }`.
 */
export function linkHeaderPaginator(options: LinkHeaderPaginatorOptions = {}): Paginator {
  const rel = (options.rel ?? 'next').toLowerCase();
  return {
    nextPageToken(response) {
      const link = parseLinkHeader(response.headers.get('link')).find((candidate) =>
        candidate.rels.includes(rel),
      );
      if (link === undefined || link.target === '') return undefined;
      let next: URL;
      try {
        next = new URL(link.target, response.url);
      } catch {
        return undefined;
      }
      for (const param of options.dropParams ?? []) next.searchParams.delete(param);
      return { next_url: next.toString() };
    },
    requestUrl: (token) => (typeof token?.next_url === 'string' ? token.next_url : undefined),
  };
}
