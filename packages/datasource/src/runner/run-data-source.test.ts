import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type DataRecord, DataSource, type ReadResult } from '../data-source';
import type { DataSourceConfig } from '../data-source-config';
import { ConfigError } from '../errors/config-error';
import { IncorrectParamError } from '../errors/incorrect-param-error';
import { ReadFailedError } from '../errors/read-failed-error';
import { SendFailedError } from '../errors/send-failed-error';
import { SourceError } from '../errors/source-error';
import { StateContractError } from '../errors/state-contract-error';
import { StateFileError } from '../errors/state-file-error';
import { PanoplyWriter } from '../writer/panoply-writer';
import type { Sink } from '../writer/sink';
import type { WriterBatch } from '../writer/writer-batch';
import { runDataSource } from './run-data-source';
import { loadStateFile } from './state-file';

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
    expect(terminal.text).toMatch(/\[#+-*\] 25\/25 \(100%\) counting/);
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
    expect(pipe.text).toContain('Counter progress 25/25 (100%) counting\n');
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

  it('waits 1 s, 2 s, then 4 s between read attempts by default', async () => {
    jest.useFakeTimers();
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
      jest.useRealTimers();
    }
  });
});
