import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DataRecord, DataSource } from './data-source';
import { TokenValidationError } from './errors/token-validation-error';
import { validateToken } from './validate-token';

class ExpiredTokenError extends Error {}
class OtherApiError extends Error {}

interface TokenRequest {
  readonly form: URLSearchParams;
  readonly accessTokenDuringRequest: unknown;
}

let server: Server;
let refreshUrl: string;
let requests: TokenRequest[];
let statuses: number[];
let answer: Record<string, unknown>;
let currentSource: Record<string, unknown> | undefined;

beforeEach(async () => {
  requests = [];
  statuses = [];
  answer = { access_token: 'new-token', refresh_token: 'ignored-new-refresh' };
  currentSource = undefined;
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests.push({
        form: new URLSearchParams(raw),
        accessTokenDuringRequest: currentSource?.access_token,
      });
      response.statusCode = statuses.shift() ?? 200;
      response.setHeader('content-type', 'application/json');
      response.end(response.statusCode === 200 ? JSON.stringify(answer) : '{"error":"invalid_grant"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  refreshUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function makeSource(failures: Error[], logs: unknown[][] = []) {
  const callbackTokens: string[] = [];
  class ApiSource extends DataSource {
    calls = 0;
    rebuiltWith: string[] = [];

    @validateToken(refreshUrl, {
      exceptions: [ExpiredTokenError],
      callback: (token) => callbackTokens.push(token),
      retryBaseDelayMs: 5,
    })
    async read(): Promise<DataRecord[] | null> {
      this.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return [{ token: this.source.access_token }];
    }

    @validateToken(refreshUrl, {
      exceptions: [(error) => error instanceof ExpiredTokenError],
      callback: 'rebuild',
    })
    syncCall(): string | Promise<string> {
      this.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return String(this.source.access_token);
    }

    @validateToken(refreshUrl)
    async catchesNothing(): Promise<void> {
      throw new ExpiredTokenError('expired');
    }

    rebuild(token: string): void {
      this.rebuiltWith.push(token);
    }
  }
  const source = new ApiSource(
    { access_token: 'old-token', refresh_token: 'r1', other: 'kept' },
    {
      refresh: { client_id: 'cid', client_secret: 'csecret' },
      logger: (messages) => logs.push([...messages]),
    },
  );
  currentSource = source.source;
  return { source, callbackTokens };
}

describe('validateToken on an async method', () => {
  it('refreshes the token, fires source-change with only that key, calls back and retries once', async () => {
    const logs: unknown[][] = [];
    const { source, callbackTokens } = makeSource([new ExpiredTokenError('401')], logs);
    const order: string[] = [];
    const changes: unknown[] = [];
    source.on('*', (name) => order.push(name)).on('source-change', (change) => changes.push(change));
    await expect(source.read()).resolves.toEqual([{ token: 'new-token' }]);
    expect(source.calls).toBe(2);
    expect(requests).toHaveLength(1);
    const form = requests[0]?.form;
    expect(Object.fromEntries(form ?? [])).toEqual({
      client_id: 'cid',
      client_secret: 'csecret',
      refresh_token: 'r1',
    });
    expect(requests[0]?.accessTokenDuringRequest).toBeNull();
    expect(source.source.access_token).toBe('new-token');
    expect(source.source.refresh_token).toBe('r1');
    expect(changes).toEqual([{ access_token: 'new-token' }]);
    expect(order).toEqual(['source-change']);
    expect(callbackTokens).toEqual(['new-token']);
    expect(logs[0]).toEqual(['Revalidating the access token...']);
  });

  it('retries the refresh POST with backoff after HTTP errors', async () => {
    statuses = [500, 502];
    const { source } = makeSource([new ExpiredTokenError('401')]);
    await expect(source.read()).resolves.toEqual([{ token: 'new-token' }]);
    expect(requests).toHaveLength(3);
  });

  it('throws a non-retryable TokenValidationError after 3 failed refreshes, token left cleared', async () => {
    statuses = [500, 500, 500];
    const logs: unknown[][] = [];
    const { source, callbackTokens } = makeSource([new ExpiredTokenError('401')], logs);
    const rejection = source.read();
    await expect(rejection).rejects.toThrow(TokenValidationError);
    await rejection.catch((error: TokenValidationError) => {
      expect(error.code).toBe('DATASOURCE_TOKEN_VALIDATION');
      expect(error.retryable).toBe(false);
      expect(error.originalError).toBeInstanceOf(Error);
    });
    expect(requests).toHaveLength(3);
    expect(source.calls).toBe(1);
    expect(source.source.access_token).toBeNull();
    expect(callbackTokens).toEqual([]);
    expect(logs.some((entry) => entry[0] === '{"error":"invalid_grant"}')).toBe(true);
  });

  it('fails with TokenValidationError when the answer has no access token', async () => {
    answer = { token_type: 'bearer' };
    const { source } = makeSource([new ExpiredTokenError('401')]);
    await expect(source.read()).rejects.toMatchObject({ code: 'DATASOURCE_TOKEN_VALIDATION' });
    expect(source.source.access_token).toBeNull();
  });

  it('lets non-matching errors through untouched, and an empty exceptions list matches nothing', async () => {
    const other = new OtherApiError('boom');
    const { source } = makeSource([other]);
    await expect(source.read()).rejects.toBe(other);
    await expect(source.catchesNothing()).rejects.toBeInstanceOf(ExpiredTokenError);
    expect(requests).toHaveLength(0);
    expect(source.source.access_token).toBe('old-token');
  });

  it('propagates a second failure after a successful refresh unwrapped', async () => {
    const second = new ExpiredTokenError('still 401');
    const { source } = makeSource([new ExpiredTokenError('401'), second]);
    await expect(source.read()).rejects.toBe(second);
    expect(source.calls).toBe(2);
    expect(requests).toHaveLength(1);
  });
});

describe('validateToken on a sync method', () => {
  it('returns the value directly when nothing fails', () => {
    const { source } = makeSource([]);
    expect(source.syncCall()).toBe('old-token');
  });

  it('returns a promise of the retried call after a refresh, calling the named callback method', async () => {
    const { source } = makeSource([new ExpiredTokenError('401')]);
    const result = source.syncCall();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe('new-token');
    expect(source.rebuiltWith).toEqual(['new-token']);
    expect(source.calls).toBe(2);
  });

  it('throws non-matching sync errors synchronously', () => {
    const { source } = makeSource([new OtherApiError('x')]);
    expect(() => source.syncCall()).toThrow(OtherApiError);
  });
});
