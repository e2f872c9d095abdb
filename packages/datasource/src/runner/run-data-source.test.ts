import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type DataRecord, DataSource, type ReadResult } from '../data-source';
import type { DataSourceConfig } from '../data-source-config';
import { ConfigError } from '../errors/config-error';
import { IncorrectParamError } from '../errors/incorrect-param-error';
import { InvalidRecordError } from '../errors/invalid-record-error';
import { ReadFailedError } from '../errors/read-failed-error';
import { SendFailedError } from '../errors/send-failed-error';
import { SourceError } from '../errors/source-error';
import { StateContractError } from '../errors/state-contract-error';
import { StateFileError } from '../errors/state-file-error';
import { createJsonLinesFileSink } from '../writer/json-lines-file-sink';
import { PanoplyWriter } from '../writer/panoply-writer';
import type { Sink } from '../writer/sink';
import type { WriterBatch } from '../writer/writer-batch';
import { runDataSource } from './run-data-source';
import { loadStateFile, readStateFile } from './state-file';

const CONFIG: DataSourceConfig = {
  title: 'Counter',
  params: [
    { name: 'total', type: 'number', required: true },
    { name: 'apiToken', type: 'password', required: true },
    { name: 'destination', default: 'numbers' },
  ],
};

/** Behaviour switches shared with the source instances a test builds. */
interface Plan {
  failures: Error[];
  closeCalls: number;
  seenSources: Record<string, unknown>[];
  breakContract?: 'no-state' | 'unreported' | 'not-array';
}

let plan: Plan;

class CounterSource extends DataSource {
  #next: number;
  readonly #total: number;

  constructor(source: Record<string, unknown>, options?: Record<string, unknown>) {
    super(source, options);
    plan.seenSources.push({ ...source });
    const saved = source.state as { next?: number } | undefined;
    this.#next = saved?.next ?? 0;
    delete this.source.state;
    this.#total = source.total as number;
  }

  async read(batchSize = 10): Promise<ReadResult> {
    const failure = plan.failures.shift();
    if (failure) {
      this.state('doomed', { next: 999 });
      throw failure;
    }
    if (plan.breakContract === 'not-array') return { nope: true } as unknown as DataRecord[];
    if (this.#next >= this.#total) return null;
    const start = this.#next;
    const end = Math.min(this.#total, start + batchSize);
    const stateId = `batch-${start}`;
    if (plan.breakContract !== 'unreported') this.state(stateId, { next: end, [`seen${start}`]: true });
    this.progress(end, this.#total, 'counting');
    this.#next = end;
    const records: DataRecord[] = [];
    for (let id = start; id < end; id++) {
      records.push(plan.breakContract === 'no-state' ? { id } : { id, __state: stateId });
    }
    return records;
  }

  override close(): void {
    plan.closeCalls++;
  }
}

const MODULE = { Stream: CounterSource, CONFIG };

class MemorySink implements Sink {
  batches: WriterBatch[] = [];
  statesAtSend: unknown[] = [];
  failures = 0;
  constructor(private readonly stateFilePath?: string) {}
  encodeRecord(record: DataRecord): string {
    return `${JSON.stringify(record)}\n`;
  }
  async sendBatch(batch: WriterBatch): Promise<void> {
    if (this.stateFilePath !== undefined) {
      this.statesAtSend.push(
        await readFile(this.stateFilePath, 'utf8').then(
          (text) => JSON.parse(text).state,
          () => undefined,
        ),
      );
    }
    if (this.failures > 0) {
      this.failures--;
      throw new Error('sink down');
    }
    this.batches.push(batch);
  }
}

class CapturingStream extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

let directory: string;

beforeEach(async () => {
  plan = { failures: [], closeCalls: 0, seenSources: [] };
  directory = await mkdtemp(join(tmpdir(), 'datasource-runner-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const baseParams = { total: '25', apiToken: 'super-secret-token-value' };

describe('runDataSource', () => {
  it('reads to the end, writes every batch and saves the merged state after each batch', async () => {
    const stateFilePath = join(directory, 'state.json');
    const sink = new MemorySink(stateFilePath);
    const output = new CapturingStream();
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      sink,
      stateFilePath,
      batchSize: 10,
      output,
      progress: 'none',
    });
    expect(summary.recordCount).toBe(25);
    expect(summary.batchCount).toBe(3);
    expect(summary.readCalls).toBe(4);
    expect(summary.resumed).toBe(false);
    expect(sink.batches.flatMap((batch) => batch.records.map((record) => record.id))).toEqual(
      Array.from({ length: 25 }, (_, index) => index),
    );
    expect(sink.batches[0]?.records[0]).toEqual({ id: 0, __state: 'batch-0', __table: 'numbers' });
    // Shallow merge: later keys overwrite, other keys stay.
    expect(summary.state).toEqual({ next: 25, seen0: true, seen10: true, seen20: true });
    // When a batch is sent, only the batches before it are in the saved state (null: none yet).
    expect(sink.statesAtSend).toEqual([
      null,
      { next: 10, seen0: true },
      { next: 20, seen0: true, seen10: true },
    ]);
    expect(JSON.parse(await readFile(stateFilePath, 'utf8')).state).toEqual(summary.state);
    expect(plan.closeCalls).toBe(1);
    expect(plan.seenSources[0]?.total).toBe(25);
  });

  it('resumes from the state file, giving it to the source as source.state', async () => {
    const stateFilePath = join(directory, 'state.json');
    await writeFile(stateFilePath, JSON.stringify({ version: 1, state: { next: 20, seen0: true } }));
    const sink = new MemorySink();
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      sink,
      stateFilePath,
      batchSize: 10,
      progress: 'none',
      output: new CapturingStream(),
    });
    expect(plan.seenSources[0]?.state).toEqual({ next: 20, seen0: true });
    expect(summary.resumed).toBe(true);
    expect(sink.batches.flatMap((batch) => batch.records.map((record) => record.id))).toEqual([
      20, 21, 22, 23, 24,
    ]);
    expect(summary.state).toEqual({ next: 25, seen0: true, seen20: true });
  });

  it('never logs secret parameters', async () => {
    const output = new CapturingStream();
    await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: new MemorySink(),
      output,
      progress: 'lines',
    });
    expect(output.text).toContain('starting Counter');
    expect(output.text).toContain('"apiToken":"***"');
    expect(output.text).not.toContain('super-secret-token-value');
  });

  it('rejects bad params before building the source', async () => {
    const run = runDataSource({
      module: MODULE,
      params: { total: 'many' },
      sink: new MemorySink(),
      output: new CapturingStream(),
    });
    await expect(run).rejects.toThrow(IncorrectParamError);
    await run.catch((error: IncorrectParamError) => {
      expect(error.issues.map((issue) => issue.param)).toEqual(['total', 'apiToken']);
    });
    expect(plan.seenSources).toHaveLength(0);
  });

  it('rejects inconsistent options with ConfigError', async () => {
    await expect(runDataSource({ module: MODULE, params: baseParams })).rejects.toThrow(ConfigError);
    await expect(
      runDataSource({ module: MODULE, params: baseParams, sink: new MemorySink(), batchSize: 0 }),
    ).rejects.toThrow(ConfigError);
  });

  it('retries retryable read errors up to 3 more times, dropping state reported by failed reads', async () => {
    plan.failures = [new Error('flaky'), new SourceError('flaky again'), new Error('third')];
    const sink = new MemorySink();
    const summary = await runDataSource({
      module: MODULE,
      params: { ...baseParams, total: 5 },
      sink,
      retryBaseDelayMs: 1,
      output: new CapturingStream(),
      progress: 'none',
    });
    expect(summary.readRetries).toBe(3);
    expect(summary.readCalls).toBe(5);
    expect(summary.state).toEqual({ next: 5, seen0: true });
  });

  it('gives up after 4 attempts in total', async () => {
    plan.failures = [1, 2, 3, 4].map((attempt) => new Error(`failure ${attempt}`));
    const run = runDataSource({
      module: MODULE,
      params: baseParams,
      sink: new MemorySink(),
      retryBaseDelayMs: 1,
      output: new CapturingStream(),
    });
    await expect(run).rejects.toThrow(ReadFailedError);
    await run.catch((error: ReadFailedError) => {
      expect(error.attempts).toBe(4);
      expect((error.cause as Error).message).toBe('failure 4');
    });
    expect(plan.closeCalls).toBe(1);
  });

  it('honours maxReadAttempts and stops at once on a non-retryable error', async () => {
    plan.failures = [new Error('a'), new Error('b')];
    await expect(
      runDataSource({
        module: MODULE,
        params: baseParams,
        sink: new MemorySink(),
        maxReadAttempts: 2,
        retryBaseDelayMs: 1,
        output: new CapturingStream(),
      }),
    ).rejects.toMatchObject({ code: 'DATASOURCE_READ_FAILED', attempts: 2 });
    plan.failures = [new SourceError('bad credentials', { retryable: false }), new Error('never reached')];
    const run = runDataSource({
      module: MODULE,
      params: baseParams,
      sink: new MemorySink(),
      output: new CapturingStream(),
    });
    await expect(run).rejects.toMatchObject({ code: 'DATASOURCE_READ_FAILED', attempts: 1 });
    expect(plan.failures).toHaveLength(1);
    expect(plan.closeCalls).toBe(2);
  });

  it.each([
    ['no-state', 'strict'],
    ['unreported', 'strict'],
    ['unreported', 'lenient'],
    ['not-array', 'strict'],
  ] as const)('enforces the __state contract (%s, %s)', async (breakContract, stateContract) => {
    plan.breakContract = breakContract;
    const sink = new MemorySink();
    await expect(
      runDataSource({
        module: MODULE,
        params: baseParams,
        sink,
        stateContract,
        output: new CapturingStream(),
      }),
    ).rejects.toThrow(StateContractError);
    expect(sink.batches).toHaveLength(0);
    expect(plan.closeCalls).toBe(1);
  });

  it('accepts records without __state in lenient mode', async () => {
    plan.breakContract = 'no-state';
    const sink = new MemorySink();
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      sink,
      stateContract: 'lenient',
      output: new CapturingStream(),
    });
    expect(summary.recordCount).toBe(25);
    expect(summary.state).toEqual({});
  });

  it('does not save the state of a batch the sink could not take', async () => {
    const stateFilePath = join(directory, 'state.json');
    const sink = new MemorySink();
    sink.failures = 100;
    const run = runDataSource({
      module: MODULE,
      params: baseParams,
      sink,
      stateFilePath,
      maxSendAttempts: 2,
      retryBaseDelayMs: 1,
      output: new CapturingStream(),
    });
    await expect(run).rejects.toThrow(SendFailedError);
    // Only the run id was saved before the first batch; no state.
    expect(JSON.parse(await readFile(stateFilePath, 'utf8')).state).toBeNull();
    expect(await loadStateFile(stateFilePath)).toBeUndefined();
    expect(plan.closeCalls).toBe(1);
  });

  it('writes through a PanoplyWriter, flushing each batch before saving state', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      writer,
      batchSize: 10,
      output: new CapturingStream(),
    });
    expect(summary.recordCount).toBe(25);
    expect(sink.batches.map((batch) => batch.records.length)).toEqual([10, 10, 5]);
    await writer.close();
  });

  it('fails when the writer could not deliver a batch', async () => {
    const sink = new MemorySink();
    sink.failures = 100;
    const writer = new PanoplyWriter({ sink, maxSendAttempts: 1 });
    await expect(
      runDataSource({ module: MODULE, params: baseParams, writer, output: new CapturingStream() }),
    ).rejects.toThrow(SendFailedError);
    expect(writer.failedBatches).toHaveLength(1);
  });

  it('rejects a corrupt state file with StateFileError', async () => {
    const stateFilePath = join(directory, 'state.json');
    await writeFile(stateFilePath, '{not json');
    await expect(
      runDataSource({ module: MODULE, params: baseParams, sink: new MemorySink(), stateFilePath }),
    ).rejects.toThrow(StateFileError);
  });

  it('draws a progress bar on a terminal and plain lines otherwise', async () => {
    const terminal = new CapturingStream();
    terminal.isTTY = true;
    await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: new MemorySink(),
      output: terminal,
      batchSize: 10,
    });
    expect(terminal.text).toContain('\r');
    expect(terminal.text).toMatch(
      /\[#+-*\] 25\/25 \(100%\) counting {2}\d+ records, [\d.]+ K?i?B, [\d,]+ records\/s/,
    );
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    const pipe = new CapturingStream();
    await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: new MemorySink(),
      output: pipe,
      batchSize: 10,
    });
    expect(pipe.text).not.toContain('\r');
    expect(pipe.text).toMatch(
      /Counter progress 25\/25 \(100%\) counting {2}25 records, [\d.]+ K?i?B, [\d,]+ records\/s, 0:\d\d elapsed\n/,
    );
  });

  it('passes source-change to onSourceChange and logs only the changed keys', async () => {
    class RotatingSource extends CounterSource {
      override async read(batchSize = 10): Promise<ReadResult> {
        this.fire('source-change', { apiToken: 'rotated-secret-value' });
        return super.read(batchSize);
      }
    }
    const changes: unknown[] = [];
    const output = new CapturingStream();
    await runDataSource({
      module: { Stream: RotatingSource, CONFIG },
      params: { ...baseParams, total: 3 },
      sink: new MemorySink(),
      output,
      onSourceChange: (changed) => changes.push(changed),
    });
    expect(changes[0]).toEqual({ apiToken: 'rotated-secret-value' });
    expect(output.text).toContain('source parameters changed: apiToken');
    expect(output.text).not.toContain('rotated-secret-value');
  });

  it('waits up to 1 s, 2 s, then 4 s between read attempts by default (full jitter)', async () => {
    jest.useFakeTimers();
    // The largest draw of the jitter: each delay is its ceiling.
    const random = jest.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    try {
      plan.failures = [new Error('a'), new Error('b'), new Error('c')];
      const readTimes: number[] = [];
      class TimedSource extends CounterSource {
        override async read(batchSize = 10): Promise<ReadResult> {
          readTimes.push(Date.now());
          return super.read(batchSize);
        }
      }
      const started = Date.now();
      const run = runDataSource({
        module: { Stream: TimedSource, CONFIG },
        params: { ...baseParams, total: 1 },
        sink: new MemorySink(),
        output: new CapturingStream(),
      });
      await jest.advanceTimersByTimeAsync(7000);
      const summary = await run;
      expect(readTimes.slice(0, 4).map((time) => time - started)).toEqual([0, 1000, 3000, 7000]);
      expect(summary.readRetries).toBe(3);
    } finally {
      random.mockRestore();
      jest.useRealTimers();
    }
  });

  it('draws each read retry delay from [0, ceiling] (full jitter)', async () => {
    jest.useFakeTimers();
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      plan.failures = [new Error('a'), new Error('b')];
      const readTimes: number[] = [];
      class TimedSource extends CounterSource {
        override async read(batchSize = 10): Promise<ReadResult> {
          readTimes.push(Date.now());
          return super.read(batchSize);
        }
      }
      const started = Date.now();
      const run = runDataSource({
        module: { Stream: TimedSource, CONFIG },
        params: { ...baseParams, total: 1 },
        sink: new MemorySink(),
        output: new CapturingStream(),
      });
      await jest.advanceTimersByTimeAsync(1000);
      await run;
      // A quarter of 1 s, then a quarter of 2 s.
      expect(readTimes.slice(0, 3).map((time) => time - started)).toEqual([0, 250, 750]);
    } finally {
      random.mockRestore();
      jest.useRealTimers();
    }
  });

  it('fails with InvalidRecordError on an unserialisable record, before sending, and keeps the state', async () => {
    const stateFilePath = join(directory, 'state.json');
    class CyclicSource extends CounterSource {
      override async read(batchSize = 10): Promise<ReadResult> {
        const batch = (await super.read(batchSize)) as DataRecord[] | null;
        const bad = batch?.find((record) => record.id === 13);
        if (bad !== undefined) bad.self = { back: bad };
        return batch;
      }
    }
    for (const via of ['sink', 'writer'] as const) {
      plan = { failures: [], closeCalls: 0, seenSources: [] };
      await rm(stateFilePath, { force: true });
      const sink = new MemorySink();
      const writer = via === 'writer' ? new PanoplyWriter({ sink }) : undefined;
      const run = runDataSource({
        module: { Stream: CyclicSource, CONFIG },
        params: baseParams,
        ...(writer === undefined ? { sink } : { writer }),
        stateFilePath,
        batchSize: 10,
        output: new CapturingStream(),
      });
      const error = await run.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(InvalidRecordError.isInstance(error)).toBe(true);
      expect((error as InvalidRecordError).code).toBe('DATASOURCE_INVALID_RECORD');
      expect((error as Error).message).toContain('record 3 of');
      expect((error as Error).message).toMatch(/circular/i);
      await writer?.close();
      expect(sink.batches.map((batch) => batch.records.length)).toEqual([10]);
      expect(await loadStateFile(stateFilePath)).toEqual({ next: 10, seen0: true });
      expect(plan.closeCalls).toBe(1);
    }
  });

  it('refuses a state that is not JSON with StateFileError, keeping the previous one', async () => {
    const stateFilePath = join(directory, 'state.json');
    class BigintStateSource extends CounterSource {
      override async read(batchSize = 10): Promise<ReadResult> {
        const batch = await super.read(batchSize);
        if (batch !== null && batch !== undefined && batch[0]?.id === 10) {
          this.state(batch[0].__state as string, { huge: 2n ** 70n });
        }
        return batch;
      }
    }
    await expect(
      runDataSource({
        module: { Stream: BigintStateSource, CONFIG },
        params: baseParams,
        sink: new MemorySink(),
        stateFilePath,
        batchSize: 10,
        output: new CapturingStream(),
      }),
    ).rejects.toThrow(StateFileError);
    expect(await loadStateFile(stateFilePath)).toEqual({ next: 10, seen0: true });
  });

  it('gives every batch a deduplication id from its position, the same when replayed from the state file', async () => {
    const stateFilePath = join(directory, 'state.json');
    const first = new MemorySink();
    let savedAfterTwo = '';
    class SnapshotSink extends MemorySink {
      override async sendBatch(batch: WriterBatch): Promise<void> {
        await super.sendBatch(batch);
        if (batch.sequence === 3) savedAfterTwo = await readFile(stateFilePath, 'utf8');
      }
    }
    const snapshot = new SnapshotSink();
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: snapshot,
      stateFilePath,
      batchSize: 10,
      output: new CapturingStream(),
    });
    const ids = snapshot.batches.map((batch) => batch.deduplicationId as string);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    ids.forEach((id, index) => {
      expect(id).toMatch(new RegExp(`^${summary.runId}\\.${index + 1}\\.0\\+(10|5)\\.[0-9a-f]{16}$`));
      expect(id.length).toBeLessThanOrEqual(128);
    });
    // A run killed after its second batch resumes with the same run id: the third batch is the same.
    await writeFile(stateFilePath, savedAfterTwo);
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    const replay = await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: first,
      stateFilePath,
      batchSize: 10,
      output: new CapturingStream(),
    });
    expect(replay.runId).toBe(summary.runId);
    expect(first.batches.map((batch) => batch.deduplicationId)).toEqual([ids[2]]);
    // A fresh run (no state file) is another run: other ids.
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    const fresh = new MemorySink();
    await runDataSource({
      module: MODULE,
      params: baseParams,
      sink: fresh,
      batchSize: 10,
      output: new CapturingStream(),
    });
    expect(fresh.batches.map((batch) => batch.deduplicationId)).not.toContain(ids[0]);
  });

  it('sends through a writer with the same deduplication ids for the same position', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink, maxBatchChars: 200 });
    const summary = await runDataSource({
      module: MODULE,
      params: baseParams,
      writer,
      batchSize: 10,
      output: new CapturingStream(),
    });
    await writer.close();
    const ids = sink.batches.map((batch) => batch.deduplicationId as string);
    expect(sink.batches.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.startsWith(`${summary.runId}.`)).toBe(true);
    expect(ids[0]).toMatch(/\.1\.0\+\d+\.[0-9a-f]{16}$/);
  });

  it('defaults destination (and the table of records without __table) to the source type', async () => {
    const configWithoutDestination: DataSourceConfig = {
      ...CONFIG,
      params: CONFIG.params.filter((param) => param.name !== 'destination'),
    };
    const sink = new MemorySink();
    await runDataSource({
      module: { Stream: CounterSource, CONFIG: configWithoutDestination },
      params: { ...baseParams, total: 2, type: 'shop-orders' },
      sink,
      output: new CapturingStream(),
    });
    expect(plan.seenSources[0]?.destination).toBe('shop-orders');
    expect(sink.batches[0]?.records[0]?.__table).toBe('shop-orders');
  });

  it('validates source options against CONFIG.options and masks secret ones in the log', async () => {
    const withOptions: DataSourceConfig = {
      ...CONFIG,
      options: [
        { name: 'pastDays', type: 'number', default: 30 },
        { name: 'refresh.client_id', required: true },
        { name: 'refresh.client_secret', required: true },
        { name: 'excluded', title: 'Excluded fields' },
      ],
    };
    let seenOptions: Record<string, unknown> = {};
    class OptionsSource extends CounterSource {
      constructor(source: Record<string, unknown>, options?: Record<string, unknown>) {
        super(source, options);
        seenOptions = { ...options };
      }
    }
    const output = new CapturingStream();
    await runDataSource({
      module: { Stream: OptionsSource, CONFIG: withOptions },
      params: { ...baseParams, total: 1 },
      sink: new MemorySink(),
      output,
      sourceOptions: { pastDays: '7', refresh: { client_id: 'id-1', client_secret: 'very-secret-client' } },
    });
    expect(seenOptions.pastDays).toBe(7);
    expect(seenOptions.refresh).toEqual({ client_id: 'id-1', client_secret: 'very-secret-client' });
    expect(typeof seenOptions.logger).toBe('function');
    expect(output.text).toContain('"client_secret":"***"');
    expect(output.text).not.toContain('very-secret-client');
    const run = runDataSource({
      module: { Stream: OptionsSource, CONFIG: withOptions },
      params: baseParams,
      sink: new MemorySink(),
      output: new CapturingStream(),
      sourceOptions: { pastDays: 'soon', refresh: { client_id: 'x' }, exclude: 'typo' },
    });
    const error = (await run.catch((caught: unknown) => caught)) as IncorrectParamError;
    expect(IncorrectParamError.isInstance(error)).toBe(true);
    expect(error.issues.map((issue) => issue.param)).toEqual([
      'option pastDays',
      'option refresh.client_secret',
      'option exclude',
    ]);
  });

  it('commits the JSON-lines file with the state: a resume cuts an uncommitted tail, refuses a shortened file', async () => {
    const stateFilePath = join(directory, 'state.json');
    const filePath = join(directory, 'out.jsonl');
    const sink = createJsonLinesFileSink({ filePath });
    const options = { module: MODULE, params: baseParams, sink, stateFilePath, batchSize: 10 };
    await runDataSource({ ...options, output: new CapturingStream() });
    const committed = await readFile(filePath, 'utf8');
    expect(committed.trimEnd().split('\n')).toHaveLength(25);
    const saved = await readStateFile(stateFilePath);
    expect(saved?.sinkCheckpoint).toEqual({
      type: 'json-lines',
      filePath,
      bytes: Buffer.byteLength(committed),
    });
    expect(saved?.batchCount).toBe(3);

    // The same sink again (nothing new to read): it keeps its place.
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    await runDataSource({ ...options, output: new CapturingStream() });
    expect(await readFile(filePath, 'utf8')).toBe(committed);
    await sink.close();

    // What a killed run wrote after its last saved state is cut off by the next run.
    await writeFile(filePath, '{"id":25,"__state":"x"}\n{"id":', { flag: 'a' });
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    const output = new CapturingStream();
    const fresh = createJsonLinesFileSink({ filePath });
    await runDataSource({ ...options, sink: fresh, output });
    await fresh.close();
    expect(await readFile(filePath, 'utf8')).toBe(committed);
    expect(output.text).toMatch(/cut 30 bytes a killed run wrote/);

    await writeFile(filePath, committed.slice(0, 40));
    plan = { failures: [], closeCalls: 0, seenSources: [] };
    const shortened = createJsonLinesFileSink({ filePath });
    await expect(
      runDataSource({ ...options, sink: shortened, output: new CapturingStream() }),
    ).rejects.toMatchObject({
      code: 'DATASOURCE_CHECKPOINT_MISMATCH',
    });
    expect(plan.seenSources).toHaveLength(0);
  });
});
