import { ListSource } from '../__fixtures__/sample-streams';
import { sendJson, TestHttpServer } from '../__fixtures__/test-http-server';
import { AuthenticationError } from '../errors/authentication-error';
import { HttpRequestError } from '../errors/http-request-error';
import { QueuedLogger } from '../internal/queued-logger';
import { SecretMasker } from '../internal/secret-masker';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { Stream } from '../stream/stream';
import { configuredCatalog } from '../testing/configured-catalog';
import { expectMessageSequence } from '../testing/message-sequence';
import { assertValidMessages } from '../testing/protocol-validation';
import { type ReadSourceResult, readSource } from '../testing/read-source';
import { BasicAuthenticator } from './basic-authenticator';
import { BearerTokenAuthenticator } from './bearer-token-authenticator';
import type { HttpAuthenticator } from './http-authenticator';
import type { HttpResponseData } from './http-response-data';
import { type HttpRequestArgs, HttpStream, type QueryParams } from './http-stream';
import { OAuth2RefreshTokenAuthenticator } from './oauth2-refresh-token-authenticator';
import type { RetryPolicy } from './retry-policy';

const T = '{"__ab_full_refresh_sync_complete":true}';

/** GET /items?page=N → {items: [...], next: N+1 | null}. */
class ItemsStream extends HttpStream {
  readonly name: string = 'items';
  readonly sleeps: number[] = [];
  constructor(
    private readonly baseUrl: string,
    private readonly options: {
      auth?: HttpAuthenticator;
      retry?: Partial<RetryPolicy>;
      parent?: Stream;
    } = {},
  ) {
    super();
  }
  get urlBase(): string {
    return `${this.baseUrl}/api`;
  }
  path(args: HttpRequestArgs): string {
    const parent = (args.streamSlice as { parent?: { id?: unknown } }).parent;
    return parent ? `/posts/${String(parent.id)}/items` : 'items';
  }
  override requestParams(args: HttpRequestArgs): QueryParams {
    return { page: args.nextPageToken?.page as number | undefined, limit: 2 };
  }
  override get authenticator(): HttpAuthenticator | undefined {
    return this.options.auth;
  }
  override get retryPolicy(): Partial<RetryPolicy> {
    return { baseDelayMs: 10, ...this.options.retry };
  }
  override get parent(): Stream | undefined {
    return this.options.parent;
  }
  nextPageToken(response: HttpResponseData): JsonObject | undefined {
    const next = (response.body as { next: number | null }).next;
    return next === null ? undefined : { page: next };
  }
  parseResponse(response: HttpResponseData): Iterable<JsonObject> {
    return (response.body as { items: JsonObject[] }).items;
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  protected override async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }
}

/** Parent for substream tests: GET /api/posts → two posts, one page. */
class PostsStream extends ItemsStream {
  override readonly name = 'posts';
  override get primaryKey(): string {
    return 'id';
  }
  override path(): string {
    return 'posts';
  }
}

function pagedItems(pageCount: number) {
  return (request: { query: Record<string, string> }, response: import('node:http').ServerResponse) => {
    const page = Number(request.query.page ?? '1');
    sendJson(response, 200, {
      items: [{ id: `${page}a` }, { id: `${page}b` }],
      next: page < pageCount ? page + 1 : null,
    });
  };
}

let server: TestHttpServer;
beforeEach(async () => {
  server = await TestHttpServer.start();
});
afterEach(async () => {
  await server.stop();
});

async function readStream(stream: HttpStream, state?: unknown): Promise<ReadSourceResult> {
  const result = await readSource({
    source: new ListSource([stream]),
    config: {},
    catalog: configuredCatalog([stream]),
    state,
  });
  assertValidMessages(result.messages);
  return result;
}

describe('HttpStream', () => {
  it('is resumable full refresh from its page token: one request per page, a state per page', async () => {
    server.handle(pagedItems(5));
    const stream = new ItemsStream(server.url);
    expect(stream.isResumable).toBe(true);
    const result = await readStream(stream);
    expect(result.error).toBeUndefined();
    expect(result.states()).toEqual([{ page: 2 }, { page: 3 }, { page: 4 }, { page: 5 }, JSON.parse(T)]);
    expect(server.requests.map((r) => [r.path, r.query])).toEqual([
      ['/api/items', { limit: '2' }],
      ['/api/items', { page: '2', limit: '2' }],
      ['/api/items', { page: '3', limit: '2' }],
      ['/api/items', { page: '4', limit: '2' }],
      ['/api/items', { page: '5', limit: '2' }],
    ]);
    expect(result.records()).toHaveLength(10);
  });

  it('resumes from a page-token state', async () => {
    server.handle(pagedItems(5));
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'items' }, stream_state: { page: 3 } } },
    ];
    const result = await readStream(new ItemsStream(server.url), state);
    expectMessageSequence(result.messages, `ST RU R R S({"page":4}) R R S({"page":5}) R R S(${T}) CO`);
    expect(server.requests.map((r) => r.query.page)).toEqual(['3', '4', '5']);
  });

  it('reads every page in one slice when automatic resumable full refresh is off', async () => {
    server.handle(pagedItems(3));
    class PlainItems extends ItemsStream {
      override get automaticResumableFullRefresh(): boolean {
        return false;
      }
    }
    const stream = new PlainItems(server.url);
    expect(stream.isResumable).toBe(false);
    const result = await readStream(stream);
    expectMessageSequence(result.messages, 'ST RU R R R R R R S({"__ab_no_cursor_state_message":true}) CO');
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    let calls = 0;
    server.handle((request, response) => {
      calls++;
      if (calls === 1) return sendJson(response, 503, { error: 'busy' });
      if (calls === 2) return sendJson(response, 429, { error: 'slow down' }, { 'Retry-After': '3' });
      pagedItems(1)(request, response);
    });
    const stream = new ItemsStream(server.url);
    const result = await readStream(stream);
    expect(result.error).toBeUndefined();
    // Full jitter: the first retry waits anything from 0 to the base delay (10 ms in this stream).
    expect(stream.sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(stream.sleeps[0]).toBeLessThanOrEqual(10);
    expect(stream.sleeps[1]).toBe(3_000);
    const warnings = result.messages.filter((m) => m.type === 'LOG' && m.log.level === 'WARN');
    expect(warnings).toHaveLength(2);
    expect(result.records()).toHaveLength(2);
  });

  it('gives up after maxRetries with a transient HttpRequestError', async () => {
    server.handle((_request, response) => sendJson(response, 500, { error: 'down' }));
    const stream = new ItemsStream(server.url, { retry: { maxRetries: 2 } });
    const result = await readStream(stream);
    expect(server.requests).toHaveLength(3);
    expect(result.errors()[0]?.failure_type).toBe('transient_error');
    expect(result.errors()[0]?.message).toContain('CDK_HTTP_STATUS');
    expect(stream.sleeps).toHaveLength(2);
  });

  it('does not retry a 400; the error keeps its status', async () => {
    server.handle((_request, response) => sendJson(response, 400, { error: 'bad request' }));
    const stream = new ItemsStream(server.url);
    const error = await collectError(stream);
    expect(HttpRequestError.isInstance(error)).toBe(true);
    expect((error as HttpRequestError).status).toBe(400);
    expect((error as HttpRequestError).attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that never answers', async () => {
    server.handle(() => undefined);
    const stream = new ItemsStream(server.url, { retry: { maxRetries: 1, timeoutMs: 100 } });
    const error = await collectError(stream);
    expect((error as HttpRequestError).code).toBe('CDK_HTTP_TIMEOUT');
    expect(server.requests).toHaveLength(2);
  });

  it('retries network errors', async () => {
    const closed = await TestHttpServer.start();
    const url = closed.url;
    await closed.stop();
    const stream = new ItemsStream(url, { retry: { maxRetries: 2 } });
    const error = await collectError(stream);
    expect((error as HttpRequestError).code).toBe('CDK_HTTP_NETWORK');
    expect((error as HttpRequestError).attempts).toBe(3);
  });

  it('sends bearer and basic authorization headers', async () => {
    server.handle(pagedItems(1));
    await readStream(new ItemsStream(server.url, { auth: new BearerTokenAuthenticator('tok-1') }));
    await readStream(new ItemsStream(server.url, { auth: new BasicAuthenticator('ann', 'pä:ss') }));
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      `Basic ${Buffer.from('ann:pä:ss').toString('base64')}`,
    ]);
  });

  it('OAuth2: refreshes once, caches the token, and reports a rotated refresh token', async () => {
    let tokenCalls = 0;
    server.handle((request, response) => {
      if (request.path === '/oauth/token') {
        tokenCalls++;
        const form = new URLSearchParams(request.body);
        if (form.get('refresh_token') !== 'r-1' || form.get('grant_type') !== 'refresh_token') {
          return sendJson(response, 400, { error: 'invalid_grant' });
        }
        return sendJson(response, 200, {
          access_token: `a-${tokenCalls}`,
          expires_in: 3600,
          refresh_token: 'r-2',
        });
      }
      pagedItems(3)(request, response);
    });
    const rotated: string[] = [];
    const auth = new OAuth2RefreshTokenAuthenticator({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      refreshToken: 'r-1',
      onRefreshTokenRotated: (token) => rotated.push(token),
    });
    const result = await readStream(new ItemsStream(server.url, { auth }));
    expect(result.records()).toHaveLength(6);
    expect(tokenCalls).toBe(1);
    expect(rotated).toEqual(['r-2']);
    expect(
      server.requests.filter((r) => r.path === '/api/items').map((r) => r.headers.authorization),
    ).toEqual(['Bearer a-1', 'Bearer a-1', 'Bearer a-1']);
  });

  it('OAuth2: refreshes again once the token is within its margin (capped at a tenth of its lifetime)', async () => {
    let tokenCalls = 0;
    server.handle((_request, response) => {
      tokenCalls++;
      sendJson(response, 200, { access_token: `a-${tokenCalls}`, expires_in: 120 });
    });
    let now = 1_000_000;
    const auth = new OAuth2RefreshTokenAuthenticator({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      refreshToken: 'r',
      expiryMarginMs: 30_000,
      nowMs: () => now,
    });
    // 120 s token, 30 s margin asked, 12 s used (a tenth of the lifetime): refresh from 108 s on.
    expect(await auth.getAccessToken()).toBe('a-1');
    now += 107_000;
    expect(await auth.getAccessToken()).toBe('a-1');
    now += 2_000;
    expect(await auth.getAccessToken()).toBe('a-2');
    const [first, second] = await Promise.all([auth.getAccessToken(), auth.getAccessToken()]);
    expect([first, second, tokenCalls]).toEqual(['a-2', 'a-2', 2]);
  });

  it('OAuth2: a refused refresh token is an AuthenticationError (config error)', async () => {
    server.handle((_request, response) => sendJson(response, 400, { error: 'invalid_grant' }));
    const auth = new OAuth2RefreshTokenAuthenticator({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      refreshToken: 'expired',
    });
    const error = await auth.getAccessToken().catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).failureType).toBe('config_error');
    expect((error as AuthenticationError).status).toBe(400);
  });

  it('as a substream: pages through each parent and checkpoints finished parents', async () => {
    server.handle((request, response) => {
      if (request.path === '/api/posts')
        return sendJson(response, 200, { items: [{ id: 1 }, { id: 2 }], next: null });
      pagedItems(2)(request, response);
    });
    const child = new ItemsStream(server.url, { parent: new PostsStream(server.url) });
    expect(child.asAirbyteStream().is_resumable).toBe(false);
    const result = await readStream(child);
    expect(result.error).toBeUndefined();
    expect(result.records()).toHaveLength(8);
    expect(result.states().at(-1)).toEqual({
      states: [
        { partition: { parent: { id: 1 } }, cursor: JSON.parse(T) },
        { partition: { parent: { id: 2 } }, cursor: JSON.parse(T) },
      ],
    });
    expect(server.requests.map((r) => `${r.path}?${r.query.page ?? ''}`)).toEqual([
      '/api/posts?',
      '/api/posts/1/items?',
      '/api/posts/1/items?2',
      '/api/posts/2/items?',
      '/api/posts/2/items?2',
    ]);
  });
});

describe('HttpStream substream with maxConcurrentSlices', () => {
  it('pages through two parents at the same time; each finished parent is checkpointed after its records', async () => {
    // The first child request is held until a second one arrives (at most 2 s): both are in flight at
    // once only when parents are read at the same time.
    let held: (() => void) | undefined;
    let overlapped = false;
    server.handle((request, response) => {
      if (request.path === '/api/posts')
        return sendJson(response, 200, { items: [{ id: 1 }, { id: 2 }, { id: 3 }], next: null });
      const answer = () => pagedItems(2)(request, response);
      if (held === undefined && !overlapped) {
        const fallback = setTimeout(() => {
          held = undefined;
          answer();
        }, 2_000);
        held = () => {
          clearTimeout(fallback);
          answer();
        };
        return;
      }
      if (held !== undefined) {
        overlapped = true;
        held();
        held = undefined;
      }
      answer();
    });
    class ConcurrentItems extends ItemsStream {
      override get maxConcurrentSlices(): number {
        return 2;
      }
    }
    const child = new ConcurrentItems(server.url, { parent: new PostsStream(server.url) });
    const result = await readStream(child);
    expect(result.error).toBeUndefined();
    expect(overlapped).toBe(true);
    expect(result.records()).toHaveLength(12);
    expect(result.states().at(-1)).toEqual({
      states: expect.arrayContaining(
        [1, 2, 3].map((id) => ({ partition: { parent: { id } }, cursor: JSON.parse(T) })),
      ),
    });
  });
});

/** Reads the stream directly and returns the error it fails with. */
async function collectError(stream: HttpStream): Promise<unknown> {
  try {
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
