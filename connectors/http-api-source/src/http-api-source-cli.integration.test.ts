import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SampleApi, type SampleApiOptions, startSampleApi } from '@connectors/sample-api';
import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  configuredCatalog,
  createReadSourceResult,
  type JsonObject,
  latestStatePerStream,
} from '@sdk/stream-cdk';
import { committedRecords } from './__fixtures__/committed-records';
import { runCli } from './__fixtures__/run-cli';
import { HttpApiSource } from './http-api-source';
import type { HttpApiSourceConfig } from './http-api-source-config';

const allStreams = ['regions', 'customers', 'orders', 'customer_notes'];

describe('http-api-source through its CLI', () => {
  let dir: string;
  let api: SampleApi | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'http-api-source-'));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: SampleApiOptions): Promise<SampleApi> => {
    api = await startSampleApi(options);
    return api;
  };
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const oauthConfig = (sample: SampleApi, extra: Partial<HttpApiSourceConfig> = {}): HttpApiSourceConfig => ({
    base_url: sample.url,
    client_id: sample.credentials.clientId,
    client_secret: sample.credentials.clientSecret,
    refresh_token: sample.credentials.refreshToken,
    retry_base_delay_ms: 5,
    ...extra,
  });
  const catalogOf = (config: HttpApiSourceConfig, names: string[]): ConfiguredAirbyteCatalog => {
    const streams = new HttpApiSource().streams(config);
    return configuredCatalog(names.map((name) => streams.find((stream) => stream.name === name)!));
  };
  const read = (
    config: HttpApiSourceConfig,
    names: string[],
    state?: unknown,
    killWhen?: (messages: AirbyteMessage[]) => boolean,
  ) => {
    const args = [
      'read',
      '--config',
      file('config.json', config),
      '--catalog',
      file('catalog.json', catalogOf(config, names)),
    ];
    if (state !== undefined) args.push('--state', file('state.json', state));
    return runCli(args, killWhen);
  };
  const expectedRecords = (sample: SampleApi): Record<string, readonly object[]> => ({
    regions: sample.data.regions,
    customers: sample.data.customers,
    orders: sample.data.orders,
    customer_notes: sample.data.notes,
  });
  const keyOf = (stream: string, record: JsonObject): string =>
    String(stream === 'regions' ? record.code : record.id);

  it('spec prints one SPEC whose credentials are airbyte_secret', async () => {
    const run = await runCli(['spec']);
    expect(run.code).toBe(0);
    expect(run.messages.map((message) => message.type)).toEqual(['SPEC']);
    const spec = run.messages[0]?.type === 'SPEC' ? run.messages[0].spec : undefined;
    const properties = spec?.connectionSpecification.properties as Record<string, JsonObject>;
    expect(properties.client_secret?.airbyte_secret).toBe(true);
    expect(properties.refresh_token?.airbyte_secret).toBe(true);
    expect(properties.api_key?.airbyte_secret).toBe(true);
  });

  it('check succeeds with OAuth2 and with an API key, and fails without leaking a wrong secret', async () => {
    const sample = await start({});
    const oauth = await runCli(['check', '--config', file('oauth.json', oauthConfig(sample))]);
    const apiKey = await runCli([
      'check',
      '--config',
      file('key.json', { base_url: sample.url, api_key: sample.credentials.apiKey }),
    ]);
    const wrong = await runCli([
      'check',
      '--config',
      file('wrong.json', oauthConfig(sample, { client_secret: 'not-the-secret-7f3a' })),
    ]);
    const noAuth = await runCli(['check', '--config', file('none.json', { base_url: sample.url })]);
    const statusOf = (run: { messages: AirbyteMessage[] }) =>
      run.messages.flatMap((message) =>
        message.type === 'CONNECTION_STATUS' ? [message.connectionStatus.status] : [],
      );
    expect([oauth.code, apiKey.code, wrong.code, noAuth.code]).toEqual([0, 0, 0, 0]);
    expect(statusOf(oauth)).toEqual(['SUCCEEDED']);
    expect(statusOf(apiKey)).toEqual(['SUCCEEDED']);
    expect(statusOf(wrong)).toEqual(['FAILED']);
    expect(statusOf(noAuth)).toEqual(['FAILED']);
    expect(JSON.stringify(wrong.messages)).not.toContain('not-the-secret-7f3a');
    expect(sample.stats.tokensIssued).toBe(1);
  });

  it('discover describes the four streams and how each one checkpoints', async () => {
    const run = await runCli([
      'discover',
      '--config',
      file('config.json', { base_url: 'http://127.0.0.1:9', api_key: 'k' }),
    ]);
    expect(run.code).toBe(0);
    const catalog = run.messages[0]?.type === 'CATALOG' ? run.messages[0].catalog : undefined;
    const summary = catalog?.streams.map((stream) => [
      stream.name,
      stream.supported_sync_modes,
      stream.is_resumable,
      stream.default_cursor_field ?? null,
      stream.source_defined_primary_key,
    ]);
    expect(summary).toEqual([
      ['regions', ['full_refresh'], false, null, [['code']]],
      ['customers', ['full_refresh'], true, null, [['id']]],
      ['orders', ['full_refresh', 'incremental'], true, ['updated_at'], [['id']]],
      // A substream: not resumable for the platform, as in the Python CDK.
      ['customer_notes', ['full_refresh'], false, null, [['id']]],
    ]);
  });

  it('reads every stream exactly through 429s and 500s, with one access token, and a rerun from its state reads nothing new', async () => {
    const sample = await start({
      customers: 60,
      orders: 400,
      rateLimitEvery: 5,
      failEvery: 7,
      retryAfterSeconds: 0,
    });
    const config = oauthConfig(sample, { page_size: 25 });
    const run = await read(config, allStreams);
    expect(run.code).toBe(0);
    const result = createReadSourceResult(run.messages);
    for (const [name, records] of Object.entries(expectedRecords(sample))) {
      expect(result.records(name)).toEqual(records);
      expect(result.statuses(name)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    }
    // Every fault the API injected was ridden through with a retry, each announced by a WARN line.
    expect(sample.stats.rateLimited).toBeGreaterThan(0);
    expect(sample.stats.failed).toBeGreaterThan(0);
    const retries = run.messages.filter((message) => message.type === 'LOG' && message.log.level === 'WARN');
    expect(retries).toHaveLength(sample.stats.rateLimited + sample.stats.failed);
    expect(sample.stats.tokensIssued).toBe(1);

    expect(result.states('regions')).toEqual([{ __ab_no_cursor_state_message: true }]);
    expect(result.states('customers').at(-1)).toEqual({ __ab_full_refresh_sync_complete: true });
    expect(result.states('customers')).toHaveLength(Math.ceil(60 / 25));
    // Each orders STATE is the (updated_at, id) pair of the last order before it.
    let ordersSeen = 0;
    for (const message of run.messages) {
      if (message.type === 'RECORD' && message.record.stream === 'orders') ordersSeen += 1;
      if (message.type === 'STATE' && message.state.stream?.stream_descriptor.name === 'orders') {
        const last = sample.data.orders[ordersSeen - 1];
        expect(message.state.stream.stream_state).toEqual({ updated_at: last?.updated_at, id: last?.id });
      }
    }
    const notesState = result.states('customer_notes').at(-1) as { states: { partition: JsonObject }[] };
    expect(notesState.states.map((entry) => entry.partition)).toEqual(
      sample.data.customers.map((customer) => ({ customer_id: customer.id })),
    );

    const rerun = await read(config, allStreams, latestStatePerStream(run.messages));
    expect(rerun.code).toBe(0);
    const again = createReadSourceResult(rerun.messages);
    expect(again.records('regions')).toEqual(sample.data.regions); // plain full refresh: read whole again
    expect(again.records('customers')).toEqual([]);
    expect(again.records('orders')).toEqual([]);
    expect(again.records('customer_notes')).toEqual([]);
  });

  it('honours Retry-After and authenticates with an API key without asking for tokens', async () => {
    const sample = await start({ customers: 40, rateLimitEvery: 2, retryAfterSeconds: 1 });
    const config: HttpApiSourceConfig = {
      base_url: sample.url,
      api_key: sample.credentials.apiKey,
      page_size: 100,
      // Tiny backoff: a retry that ignored Retry-After would wait about 1 ms, not 1 s.
      retry_base_delay_ms: 1,
    };
    const run = await read(config, ['regions', 'customers']);
    expect(run.code).toBe(0);
    const result = createReadSourceResult(run.messages);
    expect(result.records('customers')).toEqual(sample.data.customers);
    expect(sample.stats.rateLimited).toBe(1);
    expect(sample.stats.tokensIssued).toBe(0);
    const warnings = run.messages.flatMap((message) =>
      message.type === 'LOG' && message.log.level === 'WARN' ? [message.log.message] : [],
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ 429; retry 1 of 5 in 1000 ms$/);
  });

  it('fails each stream with a transient ERROR trace once retries run out, and still tries the next stream', async () => {
    const sample = await start({ failEvery: 1 });
    const run = await read(oauthConfig(sample, { max_retries: 2, retry_base_delay_ms: 1 }), [
      'regions',
      'orders',
    ]);
    expect(run.code).toBe(1);
    const result = createReadSourceResult(run.messages);
    expect(result.statuses('regions')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(result.statuses('orders')).toEqual(['STARTED', 'INCOMPLETE']);
    const streamErrors = result.errors().filter((error) => error.stream_descriptor !== undefined);
    expect(streamErrors.map((error) => [error.stream_descriptor?.name, error.failure_type])).toEqual([
      ['regions', 'transient_error'],
      ['orders', 'transient_error'],
    ]);
    expect(streamErrors[0]?.internal_message).toMatch(/^\[CDK_HTTP_STATUS\]/);
    expect(sample.stats.failed).toBe(6); // 1 attempt + 2 retries, per stream
  });

  it('resumes orders exactly after a (updated_at, id) pair inside a timestamp tie, and from start_date on a first sync', async () => {
    const sample = await start({ orders: 300 });
    const orders = sample.data.orders;
    const tie = orders.findIndex((order, index) => order.updated_at === orders[index + 1]?.updated_at);
    expect(tie).toBeGreaterThanOrEqual(0);
    const pivot = orders[tie]!;
    const config = oauthConfig(sample, { page_size: 40 });

    const exact = await read(
      config,
      ['orders'],
      [
        {
          type: 'STREAM',
          stream: {
            stream_descriptor: { name: 'orders' },
            stream_state: { updated_at: pivot.updated_at, id: pivot.id },
          },
        },
      ],
    );
    expect(createReadSourceResult(exact.messages).records('orders')).toEqual(orders.slice(tie + 1));

    // A cursor-only state (no id) re-reads the whole tie rather than skipping part of it.
    const cursorOnly = await read(
      config,
      ['orders'],
      [
        {
          type: 'STREAM',
          stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: pivot.updated_at } },
        },
      ],
    );
    expect(createReadSourceResult(cursorOnly.messages).records('orders')).toEqual(
      orders.filter((order) => order.updated_at >= pivot.updated_at),
    );

    const fromStart = await read({ ...config, start_date: pivot.updated_at }, ['orders']);
    expect(createReadSourceResult(fromStart.messages).records('orders')).toEqual(
      orders.filter((order) => order.updated_at >= pivot.updated_at),
    );
  });

  it('reports a malformed orders state as a config error of that stream only', async () => {
    const sample = await start({});
    const run = await read(
      oauthConfig(sample),
      ['regions', 'orders'],
      [
        {
          type: 'STREAM',
          stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: 'yesterday' } },
        },
      ],
    );
    expect(run.code).toBe(1);
    const result = createReadSourceResult(run.messages);
    expect(result.statuses('regions')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.statuses('orders')).toEqual(['STARTED', 'INCOMPLETE']);
    const ordersError = result.errors().find((error) => error.stream_descriptor?.name === 'orders');
    expect(ordersError?.failure_type).toBe('config_error');
    expect(ordersError?.internal_message).toMatch(/^\[HTTP_API_STATE_INVALID\]/);
  });

  const interruptions: [string, (messages: AirbyteMessage[]) => boolean][] = [
    ['in the middle of orders (incremental)', (messages) => countStates(messages, 'orders') >= 4],
    [
      'in the middle of customer_notes (substream)',
      (messages) => countStates(messages, 'customer_notes') >= 25,
    ],
  ];

  it.each(interruptions)(
    'killed with SIGKILL %s and resumed from its last STATEs: every record once, none twice beyond the last checkpoint',
    async (_where, killWhen) => {
      const sample = await start({
        customers: 90,
        orders: 1_200,
        latencyMs: 2,
        rateLimitEvery: 9,
        failEvery: 13,
        retryAfterSeconds: 0,
      });
      const config = oauthConfig(sample, { page_size: 50 });
      const first = await read(config, allStreams, undefined, killWhen);
      expect(first.killed).toBe(true);
      expect(first.signal).toBe('SIGKILL');

      const second = await read(config, allStreams, latestStatePerStream(first.messages));
      expect(second.code).toBe(0);
      const committed = committedRecords(first.messages);
      const resumed = createReadSourceResult(second.messages);
      const expected = expectedRecords(sample);
      let committedBeforeKill = 0;
      for (const name of ['customers', 'orders', 'customer_notes']) {
        const before = committed.get(name) ?? [];
        committedBeforeKill += before.length;
        const keys = [...before, ...resumed.records(name)].map((record) => keyOf(name, record));
        expect(new Set(keys).size).toBe(keys.length); // nothing committed twice
        expect([...keys].sort()).toEqual(
          expected[name]!.map((record) => keyOf(name, record as JsonObject)).sort(),
        );
      }
      // Plain full refresh has no resume point: the second run reads regions whole again.
      expect(resumed.records('regions')).toEqual(sample.data.regions);
      // The kill really landed midway: the first run had not committed everything.
      const total = sample.data.customers.length + sample.data.orders.length + sample.data.notes.length;
      expect(committedBeforeKill).toBeGreaterThan(0);
      expect(committedBeforeKill).toBeLessThan(total);
    },
  );
});

function countStates(messages: AirbyteMessage[], stream: string): number {
  return messages.filter(
    (message) => message.type === 'STATE' && message.state.stream?.stream_descriptor.name === stream,
  ).length;
}
