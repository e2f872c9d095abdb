import { HttpStreamDefinitionError } from '../errors/http-stream-definition-error';
import { cursorPaginator } from './cursor-paginator';
import type { HttpResponseData } from './http-response-data';
import { recordsAtPath } from './http-stream';
import { linkHeaderPaginator } from './link-header-paginator';
import { offsetPaginator } from './offset-paginator';
import { pageNumberPaginator } from './page-number-paginator';
import { stopPagingWhen } from './paginator';
import { parseLinkHeader } from './parse-link-header';

function response(
  body: unknown,
  headers: Record<string, string> = {},
  url = 'https://api.test/v1/items?a=1',
): HttpResponseData {
  return { status: 200, headers: new Headers(headers), body, url };
}

describe('cursorPaginator', () => {
  const paginator = cursorPaginator({ cursorFrom: ['meta', 'next'] });

  it('takes the cursor from a body path and sends it as a query parameter', () => {
    expect(
      paginator.nextPageToken(response({ meta: { next: 'c2' } }), { token: undefined, recordCount: 3 }),
    ).toEqual({
      cursor: 'c2',
    });
    expect(paginator.requestParams?.({ cursor: 'c2' })).toEqual({ cursor: 'c2' });
    expect(paginator.requestParams?.(undefined)).toEqual({ cursor: undefined });
  });

  it.each([[{ meta: { next: null } }], [{ meta: { next: '' } }], [{ meta: {} }], [{}], ['not json']])(
    'ends on an absent cursor: %j',
    (body) => {
      expect(
        paginator.nextPageToken(response(body), { token: { cursor: 'x' }, recordCount: 3 }),
      ).toBeUndefined();
    },
  );

  it('reads the cursor from a header and injects it into a header or the body', () => {
    const fromHeader = cursorPaginator({
      cursorFrom: { header: 'X-Next' },
      param: 'X-Cursor',
      injectInto: 'header',
    });
    expect(
      fromHeader.nextPageToken(response({}, { 'X-Next': 'h2' }), { token: undefined, recordCount: 1 }),
    ).toEqual({
      cursor: 'h2',
    });
    expect(fromHeader.requestHeaders?.({ cursor: 'h2' })).toEqual({ 'X-Cursor': 'h2' });
    expect(fromHeader.requestParams?.({ cursor: 'h2' })).toEqual({});
    const inBody = cursorPaginator({
      cursorFrom: (r) => (r.body as { n?: number }).n,
      param: 'after',
      injectInto: 'body',
    });
    expect(inBody.nextPageToken(response({ n: 7 }), { token: undefined, recordCount: 1 })).toEqual({
      cursor: 7,
    });
    expect(inBody.requestBodyJson?.({ cursor: 7 })).toEqual({ after: 7 });
    expect(inBody.requestBodyJson?.(undefined)).toBeUndefined();
  });
});

describe('offsetPaginator', () => {
  it('advances by the records read and stops after a short page', () => {
    const paginator = offsetPaginator({ limit: 2 });
    expect(paginator.requestParams?.(undefined)).toEqual({ offset: 0, limit: 2 });
    const second = paginator.nextPageToken(response([]), { token: undefined, recordCount: 2 });
    expect(second).toEqual({ offset: 2 });
    expect(paginator.requestParams?.(second)).toEqual({ offset: 2, limit: 2 });
    expect(paginator.nextPageToken(response([]), { token: second, recordCount: 1 })).toBeUndefined();
  });

  it('stops at the total when one is given, and uses the parameter names given', () => {
    const paginator = offsetPaginator({
      limit: 2,
      offsetParam: 'skip',
      limitParam: 'take',
      totalPath: ['total'],
    });
    expect(paginator.requestParams?.({ offset: 4 })).toEqual({ skip: 4, take: 2 });
    expect(
      paginator.nextPageToken(response({ total: 4 }), { token: { offset: 2 }, recordCount: 2 }),
    ).toBeUndefined();
    expect(paginator.nextPageToken(response({ total: 5 }), { token: { offset: 2 }, recordCount: 2 })).toEqual(
      {
        offset: 4,
      },
    );
  });

  it('rejects a limit below 1', () => {
    expect(() => offsetPaginator({ limit: 0 })).toThrow(HttpStreamDefinitionError);
  });
});

describe('pageNumberPaginator', () => {
  it('counts pages from startPage and stops after a short page or the last page', () => {
    const paginator = pageNumberPaginator({ pageSize: 3, startPage: 0, totalPagesPath: ['pages'] });
    expect(paginator.requestParams?.(undefined)).toEqual({ page: 0, per_page: 3 });
    expect(paginator.nextPageToken(response({ pages: 3 }), { token: undefined, recordCount: 3 })).toEqual({
      page: 1,
    });
    expect(
      paginator.nextPageToken(response({ pages: 3 }), { token: { page: 2 }, recordCount: 3 }),
    ).toBeUndefined();
    expect(paginator.nextPageToken(response({}), { token: { page: 1 }, recordCount: 2 })).toBeUndefined();
    expect(pageNumberPaginator({ pageSize: 5, pageSizeParam: null }).requestParams?.({ page: 4 })).toEqual({
      page: 4,
    });
  });

  it('rejects a page size below 1', () => {
    expect(() => pageNumberPaginator({ pageSize: 1.5 })).toThrow(HttpStreamDefinitionError);
  });
});

describe('linkHeaderPaginator', () => {
  it('follows rel="next", resolved against the request URL, and ends without one', () => {
    const paginator = linkHeaderPaginator({ dropParams: ['api_key'] });
    const link =
      '</v1/items?page=2&api_key=SECRET>; rel="next last", <https://api.test/v1/items?page=1>; rel="first"';
    const token = paginator.nextPageToken(response([], { Link: link }), { token: undefined, recordCount: 2 });
    expect(token).toEqual({ next_url: 'https://api.test/v1/items?page=2' });
    expect(paginator.requestUrl?.(token)).toBe('https://api.test/v1/items?page=2');
    expect(paginator.requestUrl?.(undefined)).toBeUndefined();
    const last =
      '<https://api.test/v1/items?page=1>; rel="first", <https://api.test/v1/items?page=1>; rel=prev';
    expect(paginator.nextPageToken(response([], { Link: last }), { token, recordCount: 2 })).toBeUndefined();
    expect(paginator.nextPageToken(response([]), { token, recordCount: 2 })).toBeUndefined();
  });
});

describe('stopPagingWhen', () => {
  it('adds a stop condition and keeps what the paginator adds to requests', () => {
    const paginator = stopPagingWhen(
      cursorPaginator({ cursorFrom: ['next'] }),
      (_response, page) => page.recordCount === 0,
    );
    expect(
      paginator.nextPageToken(response({ next: 'c' }), { token: undefined, recordCount: 0 }),
    ).toBeUndefined();
    expect(paginator.nextPageToken(response({ next: 'c' }), { token: undefined, recordCount: 1 })).toEqual({
      cursor: 'c',
    });
    expect(paginator.requestParams?.({ cursor: 'c' })).toEqual({ cursor: 'c' });
  });
});

describe('parseLinkHeader', () => {
  it('handles commas and semicolons inside URLs and quoted strings, several rels and case', () => {
    const links = parseLinkHeader(
      '<https://x.test/a?q=1,2;3>; rel="next"; title="a, b; c", <https://x.test/b>; REL=Prev; title="say \\"hi\\""',
    );
    expect(links).toEqual([
      { target: 'https://x.test/a?q=1,2;3', rels: ['next'], params: { rel: 'next', title: 'a, b; c' } },
      { target: 'https://x.test/b', rels: ['prev'], params: { rel: 'Prev', title: 'say "hi"' } },
    ]);
  });

  it('keeps parameters named constructor and __proto__ (found by fuzzing: they were dropped)', () => {
    const [link] = parseLinkHeader('<https://x.test/a>; constructor=c; __proto__=p; rel=next');
    expect(Object.entries(link?.params ?? {})).toEqual([
      ['constructor', 'c'],
      ['__proto__', 'p'],
      ['rel', 'next'],
    ]);
    expect(link?.rels).toEqual(['next']);
  });

  it('skips what is not a link', () => {
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader('garbage, <https://x.test/ok>; rel=next')).toEqual([
      { target: 'https://x.test/ok', rels: ['next'], params: { rel: 'next' } },
    ]);
  });
});

describe('recordsAtPath', () => {
  it('returns the list at the path, a single object as one record, nothing for absent values', () => {
    expect(recordsAtPath({ data: { items: [{ id: 1 }] } }, ['data', 'items'])).toEqual([{ id: 1 }]);
    expect(recordsAtPath({ data: { id: 1 } }, ['data'])).toEqual([{ id: 1 }]);
    expect(recordsAtPath({ data: null }, ['data'])).toEqual([]);
    expect(recordsAtPath([{ id: 2 }], [])).toEqual([{ id: 2 }]);
    expect(recordsAtPath({}, ['missing'])).toEqual([]);
  });

  it('rejects anything that is not objects', () => {
    expect(() => recordsAtPath({ data: [1, 2] }, ['data'])).toThrow(HttpStreamDefinitionError);
    expect(() => recordsAtPath('<html>', [])).toThrow(HttpStreamDefinitionError);
  });
});
