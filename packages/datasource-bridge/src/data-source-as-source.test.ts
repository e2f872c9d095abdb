import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  type AirbyteCatalog,
  type AirbyteMessage,
  assertValidMessages,
  type ConfiguredAirbyteCatalog,
  createReadSourceResult,
  latestStatePerStream,
  readSource,
  runSourceCli,
  StreamCdkError,
  SyncFailedError,
  type SyncMode,
} from '@sdk/stream-cdk';
import * as orders from './__fixtures__/orders-data-source';
import { orderRecord } from './__fixtures__/orders-data-source';
import { dataSourceAsSource } from './data-source-as-source';
import { BridgeError } from './errors/bridge-error';

const config = { api_key: 'sk-live-secret-123', count: 25 };

function catalogOf(catalog: AirbyteCatalog, syncMode: SyncMode = 'incremental'): ConfiguredAirbyteCatalog {
  return {
    streams: catalog.streams.map((stream) => ({
      stream,
      sync_mode: syncMode,
      destination_sync_mode: syncMode === 'incremental' ? 'append' : 'overwrite',
    })),
  };
}

/** What a record looks like in JSON (`Date` as ISO text), without the Panoply markers. */
function expectedData(index: number): Record<string, unknown> {
  const { __table: _table, ...record } = orderRecord(index);
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

describe('dataSourceAsSource', () => {
  it('turns CONFIG.params into a spec, with secrets marked airbyte_secret', async () => {
    const spec = await dataSourceAsSource(orders).spec();
    const properties = spec.connectionSpecification.properties as Record<string, Record<string, unknown>>;
    expect(spec.connectionSpecification.required).toEqual(['api_key']);
    expect(properties.api_key).toMatchObject({ type: 'string', airbyte_secret: true, title: 'API key' });
    expect(properties.count).toMatchObject({ type: 'number', default: 50 });
    expect(properties.two_tables).toMatchObject({ type: 'boolean', default: false });
  });

  it('discovers one stream per table with schemas inferred from a sample', async () => {
    const source = dataSourceAsSource(orders, { sampleSize: 10 });
    const catalog = await source.discover({ ...config, two_tables: true });
    expect(catalog.streams.map((stream) => stream.name)).toEqual(['orders', 'order_lines']);
    const schema = catalog.streams[0]?.json_schema as { properties: Record<string, unknown> };
    expect(schema.properties).toEqual({
      id: { type: ['null', 'integer'] },
      amount: { type: ['null', 'number'] },
      name: { type: ['null', 'string'] },
      meta: {
        type: ['null', 'object'],
        additionalProperties: true,
        properties: { tags: { type: ['null', 'array'], items: { type: ['null', 'string'] } }, note: {} },
      },
      created: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
    });
    expect(catalog.streams[0]).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_cursor: true,
      is_resumable: true,
    });
  });

  it('uses declared streams as given, primary key included, without reading a sample', async () => {
    const jsonSchema = { type: 'object', properties: { id: { type: 'integer' } } };
    const source = dataSourceAsSource(orders, {
      streams: [{ name: 'orders', jsonSchema, primaryKey: [['id']] }],
    });
    // fail_at 0 would fail any read: discovery must not read.
    const catalog = await source.discover({ ...config, fail_at: 0 });
    expect(catalog.streams).toEqual([
      expect.objectContaining({
        name: 'orders',
        json_schema: jsonSchema,
        source_defined_primary_key: [['id']],
      }),
    ]);
  });

  it('reads every record once, with STATE after the records it covers, valid against the Airbyte protocol', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const catalog = catalogOf(await source.discover(config));
    const result = await readSource({ source, config, catalog });
    expect(result.error).toBeUndefined();
    assertValidMessages(result.messages);
    expect(result.records('orders')).toEqual(Array.from({ length: 25 }, (_, index) => expectedData(index)));
    expect(result.statuses('orders')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    const states = result.stateMessages('orders');
    expect(states.map((message) => message.state.stream?.stream_state)).toEqual([
      { datasource_state: { next: 10 }, sequence: 1 },
      { datasource_state: { next: 20 }, sequence: 2 },
      { datasource_state: { next: 25 }, sequence: 3 },
    ]);
    expect(states.map((message) => message.state.sourceStats?.recordCount)).toEqual([10, 10, 5]);
  });

  it('keeps secrets out of every message', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const catalog = catalogOf(await source.discover(config));
    const result = await readSource({ source, config: { ...config, fail_at: 12 }, catalog });
    const text = JSON.stringify(result.messages);
    expect(text).toContain('****');
    expect(text).not.toContain(config.api_key);
  });

  it('stops at any message, resumes from the last STATE per stream, and loses nothing', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 4 });
    const twoTables = { ...config, two_tables: true };
    const catalog = catalogOf(await source.discover(twoTables));
    const full = await readSource({ source, config: twoTables, catalog });
    const all = full.messages.filter((message) => message.type === 'RECORD').length;
    expect(all).toBe(25);
    for (let cut = 0; cut < full.messages.length; cut += 3) {
      // A kill: only the messages written before it reached the platform.
      const seen: AirbyteMessage[] = [];
      for await (const message of source.read(twoTables, catalog)) {
        if (seen.length === cut) break;
        seen.push(message);
      }
      const lastState = seen.map((message) => message.type).lastIndexOf('STATE');
      const committed = seen.slice(0, lastState + 1).filter((message) => message.type === 'RECORD');
      const resumed = await readSource({
        source,
        config: twoTables,
        catalog,
        state: latestStatePerStream(seen),
      });
      expect(resumed.error).toBeUndefined();
      const ids = [...committed, ...resumed.messages.filter((message) => message.type === 'RECORD')].map(
        (message) => (message.type === 'RECORD' ? message.record.data.id : undefined),
      );
      expect(ids).toEqual(Array.from({ length: 25 }, (_, index) => index));
    }
  });

  it('continues incrementally from the state of the previous sync', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const catalog = catalogOf(await source.discover(config));
    const first = await readSource({ source, config, catalog });
    const second = await readSource({
      source,
      config: { ...config, count: 30 },
      catalog,
      state: latestStatePerStream(first.messages),
    });
    expect(second.records().map((record) => record.id)).toEqual([25, 26, 27, 28, 29]);
    expect(second.states('orders').at(-1)).toEqual({ datasource_state: { next: 30 }, sequence: 4 });
  });

  it('starts a full refresh over once the previous one completed, and resumes one that did not', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const catalog = catalogOf(await source.discover(config), 'full_refresh');
    const first = await readSource({ source, config, catalog });
    expect(first.states('orders').at(-1)).toEqual({
      datasource_state: { next: 25 },
      sequence: 4,
      complete: true,
    });
    const again = await readSource({ source, config, catalog, state: latestStatePerStream(first.messages) });
    expect(again.records()).toHaveLength(25);
    const cut = first.messages.slice(0, first.messages.findIndex((message) => message.type === 'STATE') + 1);
    const resumed = await readSource({ source, config, catalog, state: latestStatePerStream(cut) });
    expect(resumed.records().map((record) => record.id)).toEqual(
      Array.from({ length: 15 }, (_, index) => index + 10),
    );
  });

  it('fails the sync with INCOMPLETE and a typed ERROR trace, keeping the last state', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const catalog = catalogOf(await source.discover(config));
    const result = await readSource({ source, config: { ...config, fail_at: 15 }, catalog });
    expect(SyncFailedError.isInstance(result.error)).toBe(true);
    assertValidMessages(result.messages);
    expect(result.statuses('orders')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(result.records()).toHaveLength(10);
    expect(result.states('orders')).toEqual([{ datasource_state: { next: 10 }, sequence: 1 }]);
    const trace = result.messages.find(
      (message) => message.type === 'TRACE' && message.trace.type === 'ERROR',
    );
    expect(trace).toMatchObject({ trace: { error: { failure_type: 'system_error' } } });
  });

  it('retries retryable read errors, then reports them as transient', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10, retryBaseDelayMs: 1, maxRetryDelayMs: 2 });
    const catalog = catalogOf(await source.discover(config));
    const recovered = await readSource({ source, config: { ...config, flaky: 2 }, catalog });
    expect(recovered.error).toBeUndefined();
    expect(recovered.records()).toHaveLength(25);
    const exhausted = await readSource({ source, config: { ...config, flaky: 10 }, catalog });
    expect(SyncFailedError.isInstance(exhausted.error)).toBe(true);
    const trace = exhausted.messages.find(
      (message) => message.type === 'TRACE' && message.trace.type === 'ERROR',
    );
    expect(trace).toMatchObject({ trace: { error: { failure_type: 'transient_error' } } });
  });

  it('reports invalid parameters as a config_error and bad catalogs and states as typed errors', async () => {
    const source = dataSourceAsSource(orders);
    const catalog = catalogOf(await source.discover(config));
    await expect(source.discover({ count: 3 })).rejects.toMatchObject({ failureType: 'config_error' });
    const [configured] = catalog.streams as [ConfiguredAirbyteCatalog['streams'][number]];
    const mixed: ConfiguredAirbyteCatalog = {
      streams: [
        configured,
        { ...configured, stream: { ...configured.stream, name: 'x' }, sync_mode: 'full_refresh' },
      ],
    };
    const mixedResult = await readSource({ source, config, catalog: mixed });
    expect(mixedResult.error).toMatchObject({ code: 'CDK_CATALOG_INVALID' });
    const foreign = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { cursor: 1 } } },
    ];
    const foreignResult = await readSource({ source, config, catalog, state: foreign });
    expect(foreignResult.error).toMatchObject({ code: 'CDK_STATE_INVALID' });
    expect(StreamCdkError.isInstance(foreignResult.error)).toBe(true);
    expect(() => dataSourceAsSource(orders, { batchSize: 0 })).toThrow(BridgeError);
  });

  it('checks a connection by reading one record', async () => {
    const source = dataSourceAsSource(orders);
    expect((await source.check(config)).connectionStatus.status).toBe('SUCCEEDED');
    const failed = await source.check({ ...config, fail_at: 0 });
    expect(failed.connectionStatus.status).toBe('FAILED');
    expect(failed.connectionStatus.message).not.toContain(config.api_key);
  });

  it('counts records of tables outside the catalog instead of dropping them silently', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 10 });
    const twoTables = { ...config, two_tables: true };
    const discovered = await source.discover(twoTables);
    const onlyOrders = catalogOf({
      streams: discovered.streams.filter((stream) => stream.name === 'orders'),
    });
    const result = await readSource({ source, config: twoTables, catalog: onlyOrders });
    expect(result.records()).toHaveLength(13);
    const logs = result.messages
      .filter((message) => message.type === 'LOG')
      .map((message) => (message.type === 'LOG' ? message.log.message : ''));
    expect(logs).toContain('skipped 12 records of table "order_lines", which is not in the catalog');
  });

  it('takes declared streams from a function of the parameters, as a database source needs', async () => {
    const source = dataSourceAsSource(orders, {
      streams: async (params) => [{ name: String(params.destination), primaryKey: [['id']] }],
      sampleSize: 5,
    });
    const catalog = await source.discover({ ...config, destination: 'sales' });
    expect(catalog.streams.map((stream) => [stream.name, stream.source_defined_primary_key])).toEqual([
      ['sales', [['id']]],
    ]);
    expect(
      (catalog.streams[0]?.json_schema as { properties?: object } | undefined)?.properties,
    ).toHaveProperty('amount');
    const duplicated = dataSourceAsSource(orders, { streams: () => [{ name: 'a' }, { name: 'a' }] });
    await expect(duplicated.discover(config)).rejects.toMatchObject({ code: 'BRIDGE_CONFIG' });
  });

  it('keeps integers beyond 2^53 exact: typed integer, written as exact JSON by the CLI', async () => {
    class BigSource extends orders.OrdersDataSource {
      override read(batchSize = 100) {
        const batch = super.read(batchSize);
        return (
          batch?.map((record) => ({
            ...record,
            big: 12345678901234567890n + BigInt(record.id as number),
            ratio: record.id === 4 ? Number.NaN : record.id === 5 ? -Infinity : 0.5,
          })) ?? null
        );
      }
    }
    const source = dataSourceAsSource({ Stream: BigSource, CONFIG: orders.CONFIG }, { batchSize: 10 });
    const discovered = await source.discover(config);
    const catalog = catalogOf(discovered);
    expect(
      (discovered.streams[0]?.json_schema as { properties?: Record<string, unknown> } | undefined)?.properties
        ?.big,
    ).toEqual({
      type: ['null', 'integer'],
    });
    const chunks: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'bridge-big-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
      const stdout = new Writable({
        write(chunk, _encoding, done) {
          chunks.push(String(chunk));
          done();
        },
      });
      const code = await runSourceCli(source, {
        argv: ['read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
        stdout,
      });
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const records = chunks
      .join('')
      .split('\n')
      .filter((line) => line.includes('"RECORD"'));
    expect(records[3]).toContain('"big":12345678901234567893');
    expect(records[4]).toContain('"ratio":"NaN"');
    expect(records[5]).toContain('"ratio":"-Infinity"');
    expect(
      (discovered.streams[0]?.json_schema as { properties?: Record<string, unknown> } | undefined)?.properties
        ?.ratio,
    ).toEqual({
      type: ['null', 'number', 'string'],
    });
  });

  it('produces the same messages through read() as readBatches() gives in groups', async () => {
    const source = dataSourceAsSource(orders, { batchSize: 7 });
    const catalog = catalogOf(await source.discover(config));
    const grouped: AirbyteMessage[] = [];
    for await (const batch of source.readBatches(config, catalog)) grouped.push(...batch);
    const single = await readSource({ source, config, catalog });
    const strip = (messages: AirbyteMessage[]) => createReadSourceResult(messages).records();
    expect(strip(grouped)).toEqual(strip(single.messages));
  });
});
