import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLinesFileSink, type DataRecord, runDataSource, type Sink } from '@sdk/datasource';
import { EventsSource } from './__fixtures__/events-source';
import { BridgeError } from './errors/bridge-error';
import { SourceFailedError } from './errors/source-failed-error';
import {
  AIRBYTE_STATE_KEY,
  createSourceDataSourceModule,
  sourceAsDataSourceModule,
} from './source-as-data-source';

/** A sink that keeps batches in memory and can fail after a number of them, as a crash would. */
function memorySink(failAfterBatches = Number.POSITIVE_INFINITY): Sink & { records: DataRecord[] } {
  const records: DataRecord[] = [];
  let batches = 0;
  return {
    records,
    encodeRecord: (record) => `${JSON.stringify(record)}\n`,
    async sendBatch(batch) {
      if (batches >= failAfterBatches) throw new Error('the process died');
      batches += 1;
      records.push(...batch.records);
    },
    async close() {},
  } as Sink & { records: DataRecord[] };
}

const params = { token: 'tok-very-secret', events: 23 };
const quiet = {
  progress: 'none' as const,
  output: { write: () => true } as unknown as NodeJS.WritableStream,
};

describe('sourceAsDataSourceModule', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bridge-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('derives CONFIG.params from the spec, secrets included', () => {
    const { CONFIG } = sourceAsDataSourceModule(new EventsSource());
    expect(CONFIG.title).toBe('Events');
    expect(CONFIG.params).toEqual([
      { name: 'token', type: 'password', required: true, secret: true },
      { name: 'events', type: 'number', required: true },
      { name: 'fail_at_event', type: 'number', required: false },
    ]);
  });

  it('runs every stream through the Panoply runner into tables named after the streams', async () => {
    const module = sourceAsDataSourceModule(new EventsSource());
    const filePath = join(dir, 'out.jsonl');
    const sink = createJsonLinesFileSink({ filePath });
    const summary = await runDataSource({
      module,
      params,
      sink,
      batchSize: 4,
      stateFilePath: join(dir, 'state.json'),
      ...quiet,
    });
    await sink.close();
    const lines = (await readFile(filePath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as DataRecord);
    expect(lines.filter((record) => record.__table === 'regions').map((record) => record.code)).toEqual([
      'eu',
      'us',
      'ap',
    ]);
    expect(lines.filter((record) => record.__table === 'events').map((record) => record.id)).toEqual(
      Array.from({ length: 23 }, (_, index) => index),
    );
    expect(summary.recordCount).toBe(26);
    const saved = summary.state[AIRBYTE_STATE_KEY] as Array<{
      stream: { stream_descriptor: { name: string }; stream_state: unknown };
    }>;
    expect(
      saved.find((entry) => entry.stream.stream_descriptor.name === 'events')?.stream.stream_state,
    ).toEqual({ id: 22 });
  });

  it('survives a crash after any batch: the next run continues and nothing is lost', async () => {
    const module = sourceAsDataSourceModule(new EventsSource(), { streams: ['events'] });
    for (let crashAfter = 0; crashAfter <= 5; crashAfter += 1) {
      const stateFilePath = join(dir, `state-${crashAfter}.json`);
      const first = memorySink(crashAfter);
      await expect(
        runDataSource({
          module,
          params,
          sink: first,
          batchSize: 4,
          stateFilePath,
          maxSendAttempts: 1,
          retryBaseDelayMs: 1,
          ...quiet,
        }),
      ).rejects.toMatchObject({ code: 'DATASOURCE_SEND_FAILED' });
      const second = memorySink();
      await runDataSource({ module, params, sink: second, batchSize: 4, stateFilePath, ...quiet });
      const ids = new Set([...first.records, ...second.records].map((record) => record.id));
      expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 23 }, (_, index) => index),
      );
      // Checkpoints every 5 events and batches of 4: what repeats is bounded by one checkpoint interval.
      expect(first.records.length + second.records.length - 23).toBeLessThan(5);
    }
  });

  it('continues incrementally on the next run from the saved state', async () => {
    const module = sourceAsDataSourceModule(new EventsSource(), { streams: ['events'] });
    const stateFilePath = join(dir, 'state.json');
    await runDataSource({ module, params, sink: memorySink(), stateFilePath, ...quiet });
    const second = memorySink();
    await runDataSource({ module, params: { ...params, events: 30 }, sink: second, stateFilePath, ...quiet });
    expect(second.records.map((record) => record.id)).toEqual([23, 24, 25, 26, 27, 28, 29]);
  });

  it('fails with the source failure type, retryable only when transient, keeping the saved state', async () => {
    const module = sourceAsDataSourceModule(new EventsSource(), { streams: ['events'] });
    const stateFilePath = join(dir, 'state.json');
    const sink = memorySink();
    const failing = runDataSource({
      module,
      params: { ...params, fail_at_event: 12 },
      sink,
      stateFilePath,
      batchSize: 5,
      maxReadAttempts: 2,
      retryBaseDelayMs: 1,
      ...quiet,
    });
    const error = await failing.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATASOURCE_READ_FAILED', attempts: 2 });
    const cause = (error as { cause?: unknown }).cause;
    expect(SourceFailedError.isInstance(cause)).toBe(true);
    expect(cause).toMatchObject({ failureType: 'transient_error', retryable: true, stream: 'events' });
    expect(String((cause as Error).message)).not.toContain(params.token);
    expect(sink.records.map((record) => record.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const resumed = memorySink();
    await runDataSource({ module, params, sink: resumed, stateFilePath, ...quiet });
    expect(resumed.records.map((record) => record.id)).toEqual(
      Array.from({ length: 13 }, (_, index) => index + 10),
    );
  });

  it('refuses an invalid config before reading, without retrying', async () => {
    const module = sourceAsDataSourceModule(new EventsSource());
    const error = await runDataSource({
      module,
      params: { token: 'x', events: -1 },
      sink: memorySink(),
      ...quiet,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATASOURCE_READ_FAILED', attempts: 1 });
    expect(BridgeError.isInstance((error as { cause?: unknown }).cause)).toBe(true);
    expect((error as { cause: BridgeError }).cause.code).toBe('BRIDGE_CONFIG');
  });

  it('names an unknown stream, and asks for the async factory when spec() is async', async () => {
    const module = sourceAsDataSourceModule(new EventsSource(), { streams: ['nope'] });
    const error = await runDataSource({ module, params, sink: memorySink(), ...quiet }).catch(
      (caught: unknown) => caught,
    );
    expect((error as { cause: BridgeError }).cause.code).toBe('BRIDGE_CONFIG');
    class AsyncSpecSource extends EventsSource {
      override spec(): never {
        return Promise.resolve(super.spec()) as never;
      }
    }
    expect(() => sourceAsDataSourceModule(new AsyncSpecSource())).toThrow(
      expect.objectContaining({ code: 'BRIDGE_ASYNC_SPEC' }),
    );
    const viaAsync = await createSourceDataSourceModule(new AsyncSpecSource());
    expect(viaAsync.CONFIG.title).toBe('Events');
  });
});
