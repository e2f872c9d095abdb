import { join } from 'node:path';
import { type SampleApi, startSampleApi } from '@connectors/sample-api';
import { FakeFlowRuntime, type RuntimeBinding } from '@sdk/flow-shim';

// Written by the jest global setup (scripts/jest-transpile-sources.js): src/bin/http-api-flow.ts, transpiled.
const entryPoint = join(
  __dirname,
  '..',
  'node_modules',
  '.cache',
  'transpiled-src',
  'bin',
  'http-api-flow.js',
);

describe('http-api-flow driven by the fake Flow runtime', () => {
  let api: SampleApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const runtimeFor = (sample: SampleApi) =>
    new FakeFlowRuntime({
      command: process.execPath,
      args: [entryPoint],
      timeoutMs: 30_000,
      config: {
        base_url: sample.url,
        client_id: sample.credentials.clientId,
        client_secret: sample.credentials.clientSecret,
        refresh_token: sample.credentials.refreshToken,
        page_size: 50,
        retry_base_delay_ms: 5,
      },
    });
  const streamOf = (binding: RuntimeBinding | undefined) => binding?.resourcePath.join('/') ?? '?';

  it('discovers one binding per stream, keyed by the primary key', async () => {
    api = await startSampleApi({ customers: 5, orders: 5 });
    const bindings = await runtimeFor(api).discoverAndValidate();
    expect(bindings.map((binding) => [binding.resourcePath, binding.key])).toEqual([
      [['regions'], ['/code']],
      [['customers'], ['/id']],
      [['orders'], ['/id']],
      [['customer_notes'], ['/id']],
    ]);
  });

  it.each([
    ['in the middle of orders', 8],
    ['in the middle of customer_notes', 40],
  ])(
    'a session killed %s (after %i checkpoints) and restarted yields the remaining documents, none twice',
    async (_where, killAfterCheckpoints) => {
      const sample = await startSampleApi({
        customers: 60,
        orders: 600,
        latencyMs: 1,
        rateLimitEvery: 7,
        failEvery: 11,
        retryAfterSeconds: 0,
      });
      api = sample;
      const flow = runtimeFor(sample);
      const bindings = await flow.discoverAndValidate();
      const first = await flow.open(bindings, { killAfterCheckpoints });
      expect(first.stoppedByRuntime).toBe(true);
      expect(first.signal).toBe('SIGKILL');
      const second = await flow.open(bindings);
      expect(second.failure).toBeUndefined();
      expect(second.exitCode).toBe(0);
      // 429s and 500s were injected along the way and ridden through.
      expect(sample.stats.rateLimited).toBeGreaterThan(0);
      expect(sample.stats.failed).toBeGreaterThan(0);

      const expected: Record<string, (string | number)[]> = {
        regions: sample.data.regions.map((region) => region.code),
        customers: sample.data.customers.map((customer) => customer.id),
        orders: sample.data.orders.map((order) => order.id),
        customer_notes: sample.data.notes.map((note) => note.id),
      };
      const keysOf = (documents: typeof first.documents, stream: string) =>
        documents
          .filter((document) => streamOf(bindings[document.binding]) === stream)
          .map((document) => (stream === 'regions' ? document.doc.code : document.doc.id) as string | number);
      let committedFirst = 0;
      for (const stream of ['customers', 'orders', 'customer_notes']) {
        const before = keysOf(first.documents, stream);
        committedFirst += before.length;
        const all = [...before, ...keysOf(second.documents, stream)];
        expect(new Set(all).size).toBe(all.length); // none twice
        expect([...all].sort()).toEqual([...(expected[stream] ?? [])].sort()); // none lost
      }
      // Plain full refresh: the restarted session captures regions whole again (same keys, overwritten).
      expect(keysOf(second.documents, 'regions')).toEqual(expected.regions);
      const total = sample.data.customers.length + sample.data.orders.length + sample.data.notes.length;
      expect(committedFirst).toBeGreaterThan(0);
      expect(committedFirst).toBeLessThan(total);
    },
  );
});
