import type { ServerResponse } from 'node:http';
import { Invoices, Issues, Orders } from '../__fixtures__/readme-http-examples';
import { ListSource } from '../__fixtures__/sample-streams';
import { type RecordedRequest, sendJson, TestHttpServer } from '../__fixtures__/test-http-server';
import { HttpRequestError } from '../errors/http-request-error';
import { PaginationLoopError } from '../errors/pagination-loop-error';
import { QueuedLogger } from '../internal/queued-logger';
import { SecretMasker } from '../internal/secret-masker';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { configuredCatalog } from '../testing/configured-catalog';
import { assertValidMessages } from '../testing/protocol-validation';
import { type ReadSourceResult, readSource } from '../testing/read-source';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { cursorPaginator } from './cursor-paginator';
import type { HttpAuthenticator } from './http-authenticator';
import type { HttpResponseData } from './http-response-data';
import type { HttpResponseResolution } from './http-response-resolution';
import { type FormFields, type HttpMethod, type HttpRequestArgs, HttpStream } from './http-stream';
import { linkHeaderPaginator } from './link-header-paginator';
import { OAuth2RefreshTokenAuthenticator } from './oauth2-refresh-token-authenticator';
import { pageNumberPaginator } from './page-number-paginator';
import type { PageContext, Paginator } from './paginator';
import type { QueryParams } from './query-params';

const T = '{"__ab_full_refresh_sync_complete":true}';

let server: TestHttpServer;
beforeEach(async () => {
  server = await TestHttpServer.start();
});
afterEach(async () => {
  await server.stop();
});

async function read(stream: HttpStream, state?: unknown): Promise<ReadSourceResult> {
  const result = await readSource({
    source: new ListSource([stream]),
    config: {},
    catalog: configuredCatalog([stream]),
    state,
  });
  assertValidMessages(result.messages);
  return result;
}

function logs(result: ReadSourceResult, level: string): string[] {
  return result.messages.flatMap((m) => (m.type === 'LOG' && m.log.level === level ? [m.log.message] : []));
}

/** 25 items in pages of 10, `next_page_token: null` on the last page, as connectors/sample-api does. */
function tokenPages(request: RecordedRequest, response: ServerResponse): void {
  const offset = Number(request.query.page_token ?? 0);
  const items = Array.from({ length: 25 }, (_, index) => ({ id: index + 1 })).slice(offset, offset + 10);
  sendJson(response, 200, { items, next_page_token: offset + 10 < 25 ? String(offset + 10) : null });
}

/** A configurable stream for the tests below; every hook can be replaced per test. */
class TestStream extends HttpStream {
  readonly name: string = 'things';
  readonly sleeps: number[] = [];
  constructor(
    private readonly base: string,
    private readonly hooks: {
      resumable?: boolean;
      method?: HttpMethod;
      params?: (args: HttpRequestArgs) => QueryParams;
      headers?: (args: HttpRequestArgs) => Record<string, string>;
      json?: (args: HttpRequestArgs) => JsonObject | undefined;
      form?: (args: HttpRequestArgs) => FormFields | undefined;
      next?: (response: HttpResponseData, page: PageContext) => JsonObject | null | undefined;
      paginator?: Paginator;
      records?: (response: HttpResponseData) => JsonObject[];
      mapping?: Record<number, HttpResponseResolution>;
      resolve?: (response: HttpResponseData) => HttpResponseResolution | undefined;
      shouldRetry?: (response: HttpResponseData) => boolean;
      backoff?: (response: HttpResponseData, retry: number) => number | undefined;
      auth?: HttpAuthenticator;
      loopGuard?: boolean;
      parent?: HttpStream;
    } = {},
  ) {
    super();
  }
  get urlBase(): string {
    return this.base;
  }
  path(): string {
    return 'things';
  }
  override get httpMethod(): HttpMethod {
    return this.hooks.method ?? 'GET';
  }
  override get automaticResumableFullRefresh(): boolean {
    return this.hooks.resumable ?? true;
  }
  override requestParams(args: HttpRequestArgs): QueryParams {
    return this.hooks.params?.(args) ?? {};
  }
  override requestHeaders(args: HttpRequestArgs): Record<string, string> {
    return this.hooks.headers?.(args) ?? {};
  }
  override requestBodyJson(args: HttpRequestArgs): JsonObject | undefined {
    return this.hooks.json?.(args);
  }
  override requestBodyForm(args: HttpRequestArgs): FormFields | undefined {
    return this.hooks.form?.(args);
  }
  override get paginator(): Paginator | undefined {
    return this.hooks.paginator;
  }
  override get errorMapping(): Record<number, HttpResponseResolution> {
    return this.hooks.mapping ?? {};
  }
  override resolveResponse(response: HttpResponseData): HttpResponseResolution {
    return this.hooks.resolve?.(response) ?? super.resolveResponse(response);
  }
  override shouldRetry(response: HttpResponseData): boolean {
    return this.hooks.shouldRetry?.(response) ?? super.shouldRetry(response);
  }
  override backoffTimeMs(response: HttpResponseData, retry: number): number | undefined {
    return this.hooks.backoff?.(response, retry);
  }
  override get authenticator(): HttpAuthenticator | undefined {
    return this.hooks.auth;
  }
  override get paginationLoopGuard(): boolean {
    return this.hooks.loopGuard ?? true;
  }
  override get retryPolicy() {
    return { baseDelayMs: 10 };
  }
  nextPageToken(response: HttpResponseData, page: PageContext): JsonObject | null | undefined {
    if (this.hooks.next) return this.hooks.next(response, page);
    return this.paginator?.nextPageToken(response, page);
  }
  parseResponse(response: HttpResponseData): JsonObject[] {
    if (this.hooks.records) return this.hooks.records(response);
    const body = response.body as { items?: JsonObject[] } | JsonObject[] | undefined;
    return Array.isArray(body) ? body : (body?.items ?? []);
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  protected override async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }
}

/** The stream template's pagination before the fix: a null token became `{page_token: null}`. */
const nullTokenNext = (response: HttpResponseData) => {
  const next = (response.body as { next_page_token?: string | null }).next_page_token;
  return next === undefined ? undefined : { page_token: next as string };
};
const tokenParams = (args: HttpRequestArgs): QueryParams => ({
  limit: 10,
  page_token: args.nextPageToken?.page_token as string | null | undefined,
});

describe('pagination always ends', () => {
  it('leaves out query parameters whose value is null or undefined', async () => {
    server.handle((_request, response) => sendJson(response, 200, { items: [{ id: 1 }] }));
    const stream = new TestStream(server.url, {
      params: () => ({ a: null, b: undefined, c: 0, d: false, e: '' }),
      next: () => undefined,
    });
    await read(stream);
    expect(server.requests[0]?.query).toEqual({ c: '0', d: 'false', e: '' });
  });

  it('an absent token (null) ends a multi-page read', async () => {
    server.handle(tokenPages);
    const stream = new TestStream(server.url, {
      resumable: false,
      params: tokenParams,
      // The CDK reads a null token as the end of paging.
      next: (response) => {
        const next = (response.body as { next_page_token: string | null }).next_page_token;
        return next === null ? null : { page_token: next };
      },
    });
    const result = await read(stream);
    expect(result.error).toBeUndefined();
    expect(result.records()).toHaveLength(25);
    expect(server.requests.map((r) => r.query.page_token)).toEqual([undefined, '10', '20']);
  });

  it('resumable full refresh: a token holding null no longer restarts at page 1 forever, it fails typed', async () => {
    server.handle(tokenPages);
    const stream = new TestStream(server.url, { params: tokenParams, next: nullTokenNext });
    const result = await read(stream);
    expect(result.records().map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // The looping request (page 1 again) is never sent.
    expect(server.requests.map((r) => r.query.page_token)).toEqual([undefined, '10', '20']);
    expect(result.errors()[0]?.message).toContain('CDK_PAGINATION_LOOP');
    expect(result.errors()[0]?.failure_type).toBe('system_error');
    expect(result.states()).toEqual([{ page_token: '10' }, { page_token: '20' }, { page_token: null }]);
    expect(result.statuses('things')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(PaginationLoopError.isInstance(result.error)).toBe(false); // the read ends with SyncFailedError
    expect((result.error as { code?: string }).code).toBe('CDK_SYNC_FAILED');
  });

  it('multi-page read: the same token twice in a row is a PaginationLoopError', async () => {
    server.handle((_request, response) => sendJson(response, 200, { items: [{ id: 1 }], next: 'same' }));
    const stream = new TestStream(server.url, {
      resumable: false,
      params: (args) => ({ cursor: args.nextPageToken?.cursor as string | undefined }),
      next: (response) => ({ cursor: (response.body as { next: string }).next }),
    });
    const error = await collectError(stream);
    expect(PaginationLoopError.isInstance(error)).toBe(true);
    expect((error as PaginationLoopError).code).toBe('CDK_PAGINATION_LOOP');
    expect((error as PaginationLoopError).stream).toBe('things');
    expect(server.requests.map((r) => r.query.cursor)).toEqual([undefined, 'same']);
  });

  it('the guard can be turned off for APIs that answer the same request differently (polling)', async () => {
    let calls = 0;
    server.handle((_request, response) => {
      calls++;
      sendJson(response, 200, { items: calls === 3 ? [{ id: 1 }] : [], ready: calls === 3 });
    });
    const stream = new TestStream(server.url, {
      resumable: false,
      loopGuard: false,
      next: (response) => ((response.body as { ready: boolean }).ready ? undefined : { poll: true }),
    });
    const result = await read(stream);
    expect(result.error).toBeUndefined();
    expect(result.records()).toEqual([{ id: 1 }]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('error mapping', () => {
  it('404 ignored as an empty last page, logged at INFO; the stream completes', async () => {
    server.handle((_request, response) => sendJson(response, 404, { error: 'none' }));
    const result = await read(new Invoices(server.url));
    expect(result.error).toBeUndefined();
    expect(result.records()).toEqual([]);
    expect(result.statuses('invoices')).toEqual(['STARTED', 'COMPLETE']);
    expect(logs(result, 'INFO').join('\n')).toContain(
      'answered 404, read as an empty last page: no invoices yet',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('403 skips the stream with a warning and requests nothing more', async () => {
    server.handle((_request, response) => sendJson(response, 403, { error: 'forbidden' }));
    const stream = new TestStream(server.url, {
      resumable: false,
      mapping: { 403: { action: 'skip_stream', message: 'no access' } },
      next: () => ({ page: 2 }),
    });
    const result = await read(stream);
    expect(result.error).toBeUndefined();
    expect(result.statuses('things')).toEqual(['STARTED', 'COMPLETE']);
    expect(logs(result, 'WARN')).toEqual([
      expect.stringContaining('stream things skipped for this read: GET'),
    ]);
    expect(logs(result, 'WARN')[0]).toContain('answered 403: no access');
    expect(server.requests).toHaveLength(1);
  });

  it('400 fails with the mapped failure_type and message', async () => {
    server.handle((_request, response) => sendJson(response, 400, { error: 'bad account' }));
    const result = await read(new Invoices(server.url));
    const [error] = result.errors();
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain('answered 400 (1 attempts): check the account id');
  });

  it('resolveResponse sees 2xx too: an error inside a 200 is retried; shouldRetry and backoffTimeMs decide', async () => {
    let calls = 0;
    server.handle((_request, response) => {
      calls++;
      if (calls === 1) return sendJson(response, 200, { error: 'rate limited' });
      if (calls === 2) return sendJson(response, 409, { error: 'conflict' });
      sendJson(response, 200, { items: [{ id: 1 }] });
    });
    const stream = new TestStream(server.url, {
      resolve: (response) =>
        (response.body as { error?: string }).error === 'rate limited'
          ? { action: 'retry', backoffMs: 1234 }
          : undefined,
      shouldRetry: (response) => response.status === 409,
      backoff: (response) => (response.status === 409 ? 42 : undefined),
      next: () => undefined,
    });
    const result = await read(stream);
    expect(result.error).toBeUndefined();
    expect(result.records()).toEqual([{ id: 1 }]);
    expect(stream.sleeps).toEqual([1234, 42]);
  });

  it('a status mapped to retry fails with the failure type of its status once retries run out', async () => {
    server.handle((_request, response) => sendJson(response, 409, {}));
    const stream = new TestStream(server.url, {
      mapping: { 409: { action: 'retry' } },
      next: () => undefined,
    });
    const error = await collectError(stream);
    expect(HttpRequestError.isInstance(error)).toBe(true);
    expect((error as HttpRequestError).failureType).toBe('system_error');
    expect((error as HttpRequestError).attempts).toBe(6);
  });
});

describe('request methods and bodies', () => {
  it.each(['POST', 'PUT', 'PATCH'] as const)(
    '%s with a JSON body and a header per request',
    async (method) => {
      server.handle((request, response) => {
        const page = Number(request.query.page ?? 1);
        sendJson(response, 200, { items: [{ id: page }] });
      });
      const stream = new TestStream(server.url, {
        method,
        resumable: false,
        paginator: pageNumberPaginator({ pageSize: 1, totalPagesPath: ['none'] }),
        json: (args) => ({ filter: 'open', page: (args.nextPageToken?.page as number | undefined) ?? 1 }),
        headers: (args) => ({ 'X-Request-Page': String(args.nextPageToken?.page ?? 1) }),
        records: (response) =>
          (response.body as { items: JsonObject[] }).items.filter((r) => (r.id as number) <= 2),
      });
      const result = await read(stream);
      expect(result.records()).toEqual([{ id: 1 }, { id: 2 }]);
      expect(
        server.requests.map((r) => [
          r.method,
          r.headers['content-type'],
          r.headers['x-request-page'],
          r.body,
        ]),
      ).toEqual([
        [method, 'application/json', '1', '{"filter":"open","page":1}'],
        [method, 'application/json', '2', '{"filter":"open","page":2}'],
        [method, 'application/json', '3', '{"filter":"open","page":3}'],
      ]);
    },
  );

  it('sends a form body, leaving out null and undefined fields', async () => {
    server.handle((_request, response) => sendJson(response, 200, { items: [] }));
    const stream = new TestStream(server.url, {
      method: 'POST',
      form: () => ({ q: 'a b&c', n: 3, skip: null, none: undefined }),
      next: () => undefined,
    });
    await read(stream);
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.requests[0]?.body).toBe('q=a+b%26c&n=3');
  });

  it('a JSON body and a form body together are an HttpStreamDefinitionError', async () => {
    const stream = new TestStream(server.url, {
      json: () => ({ a: 1 }),
      form: () => ({ b: 2 }),
      next: () => undefined,
    });
    const error = await collectError(stream);
    expect((error as HttpRequestError).code).toBe('CDK_HTTP_STREAM_INVALID');
    expect(server.requests).toHaveLength(0);
  });
});

describe('paginator parameters', () => {
  it('win over requestParams when they have a value, and leave them alone when they have none', async () => {
    server.handle((request, response) =>
      sendJson(response, 200, { items: [{ id: 1 }], next: request.query.after === 'p2' ? null : 'p2' }),
    );
    const stream = new TestStream(server.url, {
      resumable: false,
      params: () => ({ after: 'from-stream', limit: 5 }),
      paginator: cursorPaginator({ cursorFrom: ['next'], param: 'after' }),
    });
    const result = await read(stream);
    expect(result.error).toBeUndefined();
    expect(server.requests.map((r) => r.query)).toEqual([
      { after: 'from-stream', limit: '5' },
      { after: 'p2', limit: '5' },
    ]);
  });
});

describe('API key authenticator', () => {
  it('sends the key in a header or in the query, never in state or messages', async () => {
    server.handle((_request, response) => sendJson(response, 200, { items: [{ id: 1 }] }));
    const inHeader = new TestStream(server.url, {
      auth: new ApiKeyAuthenticator('key-in-header', { header: 'X-API-Key', prefix: 'Token ' }),
      next: () => undefined,
    });
    const inQuery = new TestStream(server.url, {
      auth: new ApiKeyAuthenticator('key-in-query', { queryParam: 'api_key' }),
      next: () => undefined,
    });
    await read(inHeader);
    const result = await read(inQuery);
    expect(server.requests[0]?.headers['x-api-key']).toBe('Token key-in-header');
    expect(server.requests[1]?.query).toEqual({ api_key: 'key-in-query' });
    expect(JSON.stringify(result.messages)).not.toContain('key-in-query');
  });

  it('keeps the key out of Link-header tokens with dropParams', async () => {
    server.handle((request, response) => {
      const page = Number(request.query.page ?? 1);
      const link: Record<string, string> =
        page < 2
          ? { Link: `<${server.url}/things?page=2&api_key=${request.query.api_key}>; rel="next"` }
          : {};
      sendJson(response, 200, [{ id: page }], link);
    });
    const stream = new TestStream(server.url, {
      auth: new ApiKeyAuthenticator('echoed-key', { queryParam: 'api_key' }),
      paginator: linkHeaderPaginator({ dropParams: ['api_key'] }),
    });
    const result = await read(stream);
    expect(result.records()).toEqual([{ id: 1 }, { id: 2 }]);
    expect(result.states()[0]).toEqual({ next_url: `${server.url}/things?page=2` });
    expect(server.requests.map((r) => r.query)).toEqual([
      { api_key: 'echoed-key' },
      { page: '2', api_key: 'echoed-key' },
    ]);
  });
});

describe('the README examples', () => {
  it('Orders: incremental from a cursor field alone, cursor pagination, path extraction, transformation', async () => {
    const orders = [
      { id: 1, updated_at: '2024-01-01T00:00:00Z', total: '10' },
      { id: 2, updated_at: '2024-01-02T00:00:00Z', total: '20', deleted: true },
      { id: 3, updated_at: '2024-01-03T00:00:00Z', total: '30' },
    ];
    server.handle((request, response) => {
      if (request.headers['x-api-key'] !== 'k-secret') return sendJson(response, 401, {});
      const since = request.query.updated_since ?? '';
      const matching = orders.filter((o) => o.updated_at > since);
      const start = Number(request.query.cursor ?? 0);
      sendJson(response, 200, {
        data: matching.slice(start, start + 2),
        meta: { next_cursor: start + 2 < matching.length ? String(start + 2) : null },
      });
    });
    const config = { base_url: server.url, api_key: 'k-secret' };
    const first = await read(new Orders(config));
    expect(first.error).toBeUndefined();
    expect(first.records()).toEqual([
      { id: 1, updated_at: '2024-01-01T00:00:00Z', total: 10 },
      { id: 3, updated_at: '2024-01-03T00:00:00Z', total: 30 },
    ]);
    expect(first.states()).toEqual([{ updated_at: '2024-01-03T00:00:00Z' }]);
    expect(new Orders(config).asAirbyteStream()).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      default_cursor_field: ['updated_at'],
      is_resumable: true,
    });
    expect(server.requests.map((r) => r.query)).toEqual([
      { sort: 'updated_at' },
      { sort: 'updated_at', cursor: '2' },
    ]);

    orders.push({ id: 4, updated_at: '2024-01-04T00:00:00Z', total: '40' });
    server.requests.length = 0;
    const second = await read(new Orders(config), first.stateForNextRun());
    expect(second.records()).toEqual([{ id: 4, updated_at: '2024-01-04T00:00:00Z', total: 40 }]);
    expect(second.states()).toEqual([{ updated_at: '2024-01-04T00:00:00Z' }]);
    expect(server.requests.map((r) => r.query.updated_since)).toEqual(['2024-01-03T00:00:00Z']);
  });

  it('Issues: POST search paged by the Link header, a header per request', async () => {
    server.handle((request, response) => {
      const page = Number(request.query.page ?? 1);
      const next: Record<string, string> =
        page < 3 ? { Link: `</issues/search?page=${page + 1}>; rel="next"` } : {};
      sendJson(response, 200, [{ n: page }], next);
    });
    const result = await read(new Issues(server.url));
    expect(result.records()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(server.requests.map((r) => [r.method, r.query.page, r.headers['x-page-kind'], r.body])).toEqual([
      ['POST', undefined, 'first', '{"query":"state:open"}'],
      ['POST', '2', 'next', '{"query":"state:open"}'],
      ['POST', '3', 'next', '{"query":"state:open"}'],
    ]);
    expect(result.states().at(-1)).toEqual(JSON.parse(T));
  });

  it('Invoices: offset pagination ends on a short page', async () => {
    server.handle((request, response) => {
      const offset = Number(request.query.offset);
      const count = offset === 0 ? 100 : 30;
      sendJson(response, 200, { invoices: Array.from({ length: count }, (_, i) => ({ n: offset + i })) });
    });
    const result = await read(new Invoices(server.url));
    expect(result.records()).toHaveLength(130);
    expect(server.requests.map((r) => r.query)).toEqual([
      { offset: '0', limit: '100' },
      { offset: '100', limit: '100' },
    ]);
  });
});

describe('OAuth2 refresh', () => {
  function tokenServer(
    lifetimeSeconds: number,
    onApi?: (request: RecordedRequest, response: ServerResponse) => boolean,
  ) {
    let issued = 0;
    server.handle((request, response) => {
      if (request.path === '/oauth/token') {
        issued++;
        return sendJson(response, 200, { access_token: `a-${issued}`, expires_in: lifetimeSeconds });
      }
      if (onApi?.(request, response)) return;
      sendJson(response, 200, { items: [{ id: 1 }] });
    });
    return { issued: () => issued };
  }
  const authenticator = (nowMs?: () => number) =>
    new OAuth2RefreshTokenAuthenticator({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      refreshToken: 'r',
      nowMs,
    });

  it('scales the margin to the lifetime: 1 s tokens serve 80 requests made 10 ms apart with one refresh per 900 ms', async () => {
    const tokens = tokenServer(1);
    let now = 0;
    const auth = authenticator(() => now);
    const seen: string[] = [];
    for (let request = 0; request < 80; request++) {
      seen.push((await auth.getAuthHeaders()).Authorization as string);
      now += 10;
    }
    // 800 ms of requests: the first token (refreshed 100 ms before its 1 s expiry) serves them all.
    expect(tokens.issued()).toBe(1);
    expect(new Set(seen)).toEqual(new Set(['Bearer a-1']));
    now += 100;
    expect(await auth.getAccessToken()).toBe('a-2');
    expect(auth.refreshes).toBe(2);
  });

  it('keeps at most one refresh in flight for concurrent requests', async () => {
    const tokens = tokenServer(3600);
    const auth = authenticator();
    const all = await Promise.all(Array.from({ length: 20 }, () => auth.getAccessToken()));
    expect(new Set(all)).toEqual(new Set(['a-1']));
    expect(tokens.issued()).toBe(1);
  });

  it('retries a 401 once after a refresh, and only once', async () => {
    let rejectNext = 1;
    const tokens = tokenServer(3600, (request, response) => {
      if (request.headers.authorization === 'Bearer a-1' || rejectNext > 1) {
        rejectNext = request.headers.authorization === 'Bearer a-1' ? rejectNext : rejectNext - 1;
        sendJson(response, 401, { error: 'token revoked' });
        return true;
      }
      return false;
    });
    const auth = authenticator();
    const ok = await read(new TestStream(server.url, { auth, next: () => undefined }));
    expect(ok.error).toBeUndefined();
    expect(ok.records()).toEqual([{ id: 1 }]);
    expect(tokens.issued()).toBe(2);
    expect(server.requests.filter((r) => r.path === '/things').map((r) => r.headers.authorization)).toEqual([
      'Bearer a-1',
      'Bearer a-2',
    ]);

    // A server that refuses every token: one refresh and one retry, then a config error.
    server.requests.length = 0;
    rejectNext = 1_000;
    const failed = await read(new TestStream(server.url, { auth, next: () => undefined }));
    expect(failed.errors()[0]?.failure_type).toBe('config_error');
    expect(server.requests.filter((r) => r.path === '/things')).toHaveLength(2);
    expect(tokens.issued()).toBe(3);
  });
});

describe('checkAvailability: one authenticated client for streams and the connection check', () => {
  it('succeeds with the authentication of the stream, and fails with the reason otherwise', async () => {
    server.handle((request, response) =>
      request.headers['x-api-key'] === 'good'
        ? sendJson(response, 200, { items: [] })
        : sendJson(response, 401, { error: 'bad key' }),
    );
    const logger = new QueuedLogger(new SecretMasker([]), false);
    const stream = (key: string) =>
      new TestStream(server.url, {
        auth: new ApiKeyAuthenticator(key, { header: 'X-API-Key' }),
        params: () => ({ limit: 1 }),
        next: () => undefined,
      });
    expect(await stream('good').checkAvailability(logger)).toEqual({ succeeded: true });
    const refused = await stream('bad').checkAvailability(logger);
    expect(refused.succeeded).toBe(false);
    expect(refused.message).toContain('stream things: [CDK_HTTP_STATUS] GET');
    expect(refused.message).toContain('answered 401');
    expect(server.requests.map((r) => r.query)).toEqual([{ limit: '1' }, { limit: '1' }]);
  });

  it('retries like a read, and reports a skipped stream as unavailable', async () => {
    let calls = 0;
    server.handle((_request, response) => {
      calls++;
      if (calls === 1) return sendJson(response, 503, {});
      sendJson(response, 403, {});
    });
    const stream = new TestStream(server.url, {
      mapping: { 403: { action: 'skip_stream', message: 'no access' } },
      next: () => undefined,
    });
    const result = await stream.checkAvailability(new QueuedLogger(new SecretMasker([]), false));
    expect(result).toEqual({ succeeded: false, message: expect.stringContaining('answered 403: no access') });
    expect(stream.sleeps).toHaveLength(1);
  });
});

/** Reads the stream directly and returns the error it fails with. */
async function collectError(stream: HttpStream): Promise<unknown> {
  try {
    stream.state = {};
    for await (const _ of stream.readRecords({
      syncMode: 'full_refresh',
      cursorField: undefined,
      streamSlice: {},
      streamState: {},
      logger: new QueuedLogger(new SecretMasker([]), false),
    })) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}
