import { type SampleApi, startSampleApi } from './sample-api-server';

async function getJson(api: SampleApi, path: string, token = api.credentials.apiKey) {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('sample API', () => {
  let api: SampleApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('listens on loopback with a free port', async () => {
    api = await startSampleApi();
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('pages customers with opaque tokens until next_page_token is null', async () => {
    api = await startSampleApi({ customers: 23, pageSize: 10 });
    const seen: number[] = [];
    let token: unknown = '';
    let pages = 0;
    do {
      const { body } = await getJson(api, `/v1/customers?page_token=${token}`);
      seen.push(...(body.data as { id: number }[]).map((customer) => customer.id));
      token = body.next_page_token;
      pages += 1;
    } while (token !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, index) => index + 1));
  });

  it('resumes orders exactly from an (updated_at, id) pair, ties included', async () => {
    api = await startSampleApi({ orders: 300 });
    const all = api.data.orders;
    const tie = all.findIndex((order, index) => index > 0 && all[index - 1]?.updated_at === order.updated_at);
    expect(tie).toBeGreaterThan(0);
    const before = all[tie - 1];
    const { body } = await getJson(
      api,
      `/v1/orders?updated_since=${encodeURIComponent(before?.updated_at ?? '')}&since_id=${before?.id}&limit=500`,
    );
    expect((body.data as { id: number }[]).map((order) => order.id)).toEqual(
      all.slice(tie).map((order) => order.id),
    );
  });

  it('answers 429 with Retry-After and 500 on its deterministic schedule', async () => {
    api = await startSampleApi({ rateLimitEvery: 3, retryAfterSeconds: 2, failEvery: 4 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 12; index += 1) {
      const { status, headers } = await getJson(api, '/v1/regions');
      statuses.push(status);
      if (status === 429) retryAfter = headers.get('retry-after');
    }
    // Every 3rd request is rate limited; of the others, every 4th fails.
    expect(statuses).toEqual([200, 200, 429, 200, 500, 429, 200, 200, 429, 200, 500, 429]);
    expect(retryAfter).toBe('2');
    expect(api.stats).toMatchObject({ requests: 12, rateLimited: 4, failed: 2 });
  });

  it('rejects missing tokens and exchanges a refresh token for a working access token', async () => {
    api = await startSampleApi();
    expect((await getJson(api, '/v1/regions', 'wrong')).status).toBe(401);
    const denied = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope' }),
    });
    expect(denied.status).toBe(400);
    const granted = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: api.credentials.refreshToken,
        client_id: api.credentials.clientId,
        client_secret: api.credentials.clientSecret,
      }),
    });
    const { access_token: accessToken } = (await granted.json()) as { access_token: string };
    expect((await getJson(api, '/v1/regions', accessToken)).status).toBe(200);
  });

  it('lists notes per customer and answers 404 for an unknown customer', async () => {
    api = await startSampleApi({ customers: 5, maxNotesPerCustomer: 3 });
    const { body } = await getJson(api, '/v1/customers/3/notes');
    expect((body.data as { customer_id: number }[]).every((note) => note.customer_id === 3)).toBe(true);
    expect((body.data as unknown[]).length).toBe(3);
    expect((await getJson(api, '/v1/customers/99/notes')).status).toBe(404);
  });
});
