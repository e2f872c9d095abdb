import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSampleData, type SampleData, type SampleDataOptions } from './sample-data';

/** How the sample API behaves; every fault is deterministic so that tests can count on it. */
export interface SampleApiOptions extends SampleDataOptions {
  /** Interface to bind. Defaults to `127.0.0.1`; the API never listens beyond loopback unless told. */
  host?: string;
  /** Port to bind. Defaults to 0 (a free port). */
  port?: number;
  /** Records per page when the client sends no `limit`. Defaults to 50; `limit` is capped at 500. */
  pageSize?: number;
  /** Every n-th API request is answered 429 with `Retry-After`. Defaults to 0 (never). */
  rateLimitEvery?: number;
  /** The `Retry-After` value sent with a 429, in seconds. Defaults to 1. */
  retryAfterSeconds?: number;
  /** Every n-th API request (of those not rate limited) fails with 500. Defaults to 0 (never). */
  failEvery?: number;
  /** Delay added to every API response, in milliseconds. Defaults to 0. */
  latencyMs?: number;
  /** OAuth2 client id accepted by `/oauth/token`. Defaults to `sample-client`. */
  clientId?: string;
  /** OAuth2 client secret accepted by `/oauth/token`. Defaults to `sample-secret`. */
  clientSecret?: string;
  /** The refresh token `/oauth/token` exchanges for access tokens. Defaults to `sample-refresh-token`. */
  refreshToken?: string;
  /** Lifetime of an issued access token, in milliseconds. Defaults to 3,600,000 (one hour). */
  accessTokenTtlMs?: number;
  /** A long-lived bearer token accepted alongside issued ones. Defaults to `sample-api-key`. */
  apiKey?: string;
}

/** Counters of what the API answered, for tests and the demo. */
export interface SampleApiStats {
  requests: number;
  rateLimited: number;
  failed: number;
  unauthorized: number;
  tokensIssued: number;
}

/** A running sample API. */
export interface SampleApi {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly data: SampleData;
  readonly stats: SampleApiStats;
  readonly credentials: { clientId: string; clientSecret: string; refreshToken: string; apiKey: string };
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

interface PageToken {
  offset?: number;
  since?: string;
  sinceId?: number;
}

const encodeToken = (token: PageToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(raw: string | null): PageToken | undefined {
  if (raw === null || raw === '') return {};
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    return typeof token === 'object' && token !== null ? (token as PageToken) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Starts the sample API on loopback and resolves once it listens. */
export async function startSampleApi(options: SampleApiOptions = {}): Promise<SampleApi> {
  const data = createSampleData(options);
  const pageSize = options.pageSize ?? 50;
  const credentials = {
    clientId: options.clientId ?? 'sample-client',
    clientSecret: options.clientSecret ?? 'sample-secret',
    refreshToken: options.refreshToken ?? 'sample-refresh-token',
    apiKey: options.apiKey ?? 'sample-api-key',
  };
  const accessTokens = new Map<string, number>();
  const stats: SampleApiStats = { requests: 0, rateLimited: 0, failed: 0, unauthorized: 0, tokensIssued: 0 };
  let faultCounter = 0;
  let failureCounter = 0;

  const limitOf = (url: URL) =>
    Math.min(Math.max(Number(url.searchParams.get('limit') ?? pageSize) || pageSize, 1), 500);

  async function issueToken(request: IncomingMessage, response: ServerResponse) {
    const form = new URLSearchParams(await readBody(request));
    const valid =
      form.get('grant_type') === 'refresh_token' &&
      form.get('refresh_token') === credentials.refreshToken &&
      form.get('client_id') === credentials.clientId &&
      form.get('client_secret') === credentials.clientSecret;
    if (!valid) return sendJson(response, 400, { error: 'invalid_grant' });
    const token = randomBytes(16).toString('hex');
    const ttlMs = options.accessTokenTtlMs ?? 3_600_000;
    accessTokens.set(token, Date.now() + ttlMs);
    stats.tokensIssued += 1;
    sendJson(response, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: Math.floor(ttlMs / 1000),
    });
  }

  function authorized(request: IncomingMessage): boolean {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1]) return false;
    if (match[1] === credentials.apiKey) return true;
    const expiresAt = accessTokens.get(match[1]);
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  function page<T>(items: readonly T[], url: URL, response: ServerResponse) {
    const token = decodeToken(url.searchParams.get('page_token'));
    const offset = token?.offset ?? 0;
    if (token === undefined || !Number.isInteger(offset) || offset < 0) {
      return sendJson(response, 400, { error: 'invalid page_token' });
    }
    const limit = limitOf(url);
    const slice = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? encodeToken({ offset: offset + limit }) : null;
    sendJson(response, 200, { data: slice, next_page_token: next });
  }

  function orders(url: URL, response: ServerResponse) {
    // Keyset paging on (updated_at, id): a client that keeps the last pair it saw resumes exactly,
    // with neither a lost nor a repeated order even when several share one timestamp.
    const token = decodeToken(url.searchParams.get('page_token'));
    if (token === undefined) return sendJson(response, 400, { error: 'invalid page_token' });
    const since = token.since ?? url.searchParams.get('updated_since') ?? '';
    const sinceId = token.sinceId ?? Number(url.searchParams.get('since_id') ?? 0);
    if (since !== '' && Number.isNaN(Date.parse(since))) {
      return sendJson(response, 400, { error: 'updated_since must be an ISO-8601 timestamp' });
    }
    const after = data.orders.filter(
      (order) => order.updated_at > since || (order.updated_at === since && order.id > sinceId),
    );
    const limit = limitOf(url);
    const slice = after.slice(0, limit);
    const last = slice.at(-1);
    const next =
      after.length > limit && last ? encodeToken({ since: last.updated_at, sinceId: last.id }) : null;
    sendJson(response, 200, { data: slice, next_page_token: next });
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://sample-api');
    if (request.method === 'POST' && url.pathname === '/oauth/token') return issueToken(request, response);
    if (request.method === 'GET' && url.pathname === '/health') return sendJson(response, 200, { ok: true });
    if (request.method !== 'GET' || !url.pathname.startsWith('/v1/')) {
      return sendJson(response, 404, { error: `no route for ${request.method} ${url.pathname}` });
    }

    stats.requests += 1;
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (!authorized(request)) {
      stats.unauthorized += 1;
      return sendJson(response, 401, { error: 'missing or expired bearer token' });
    }
    faultCounter += 1;
    if (options.rateLimitEvery && faultCounter % options.rateLimitEvery === 0) {
      stats.rateLimited += 1;
      const retryAfter = String(options.retryAfterSeconds ?? 1);
      return sendJson(response, 429, { error: 'rate limited' }, { 'retry-after': retryAfter });
    }
    failureCounter += 1;
    if (options.failEvery && failureCounter % options.failEvery === 0) {
      stats.failed += 1;
      return sendJson(response, 500, { error: 'internal error (deliberate)' });
    }

    if (url.pathname === '/v1/regions') return sendJson(response, 200, { data: data.regions });
    if (url.pathname === '/v1/customers') return page(data.customers, url, response);
    if (url.pathname === '/v1/orders') return orders(url, response);
    const notesMatch = /^\/v1\/customers\/(\d+)\/notes$/.exec(url.pathname);
    if (notesMatch) {
      const customerId = Number(notesMatch[1]);
      if (!data.customers.some((customer) => customer.id === customerId)) {
        return sendJson(response, 404, { error: `no customer ${customerId}` });
      }
      return page(
        data.notes.filter((note) => note.customer_id === customerId),
        url,
        response,
      );
    }
    return sendJson(response, 404, { error: `no route for GET ${url.pathname}` });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    data,
    stats,
    credentials,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
