import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { DataRecord, DataSource, DataSourceOptions, SourceStateEvent } from '../data-source';
import { toDataSourceModule } from '../data-source-module';
import { ConfigError } from '../errors/config-error';
import { DatasourceError, isRetryableError } from '../errors/datasource-error';
import { ReadFailedError } from '../errors/read-failed-error';
import { SendFailedError } from '../errors/send-failed-error';
import { StateContractError } from '../errors/state-contract-error';
import { deduplicationId } from '../internal/deduplication-id';
import { toInvalidRecordError } from '../internal/invalid-record';
import { sleepMs } from '../internal/sleep-ms';
import { backoffDelayMs } from '../retry/backoff';
import { redactSourceOptions, validateSourceOptions } from '../source-options';
import { redactParams, validateParams } from '../validate-params';
import type { PanoplyWriter } from '../writer/panoply-writer';
import type { Sink, SinkCheckpoint } from '../writer/sink';
import type { WriterBatch } from '../writer/writer-batch';
import { createProgressReporter, type ProgressMode } from './progress-reporter';
import { stateIdsOfBatch } from './state-contract';
import { type RunState, readStateFile, saveStateFile } from './state-file';

/** How strictly the runner checks the `__state` contract. */
export type StateContractMode = 'strict' | 'lenient';

/** Options of {@link runDataSource}. */
export interface RunDataSourceOptions {
  /** The data source module (`{ Stream, CONFIG }`, or a module object with them as default). */
  module: unknown;
  /** Raw parameters; validated against `CONFIG.params` (defaults filled, strings coerced). */
  params: Readonly<Record<string, unknown>>;
  /** Receives every batch (resolving once it is durable). Give exactly one of `sink` and `writer`. */
  sink?: Sink;
  /** A writer SDK; each batch is written and flushed before the state is saved. Not closed by the runner. */
  writer?: PanoplyWriter;
  /**
   * Table for records without `__table`: defaults to `params.destination`, which itself defaults to
   * `params.type` (the source's type, as Panoply does), then `'data'`.
   */
  defaultTable?: string;
  /**
   * Read from (when present) and written after every batch, atomically; also written before the
   * first batch (with `state: null`) to hold the run id and the sink's starting point. With a sink
   * that supports checkpoints (the JSON-lines sink), the output's committed length is saved with the
   * state, so a resumed run cuts off what a killed one wrote after it: exactly once. Defaults to none.
   */
  stateFilePath?: string;
  /** State to resume from when there is no state file. Defaults to none. */
  initialState?: RunState;
  /** The hint passed to `read(n)`. Defaults to 1000. */
  batchSize?: number;
  /** Calls of `read` for one batch before giving up on retryable errors (4 = 1 + 3 retries). Defaults to 4. */
  maxReadAttempts?: number;
  /** Calls of `sink.sendBatch` for one batch. Defaults to 4. */
  maxSendAttempts?: number;
  /**
   * Ceiling of the delay before the first retry, doubled after each; each delay is drawn from
   * [0, ceiling] (full jitter, see {@link backoffDelayMs}). Defaults to 1000 ms.
   */
  retryBaseDelayMs?: number;
  /** Cap of that ceiling. Defaults to 30 000 ms. */
  maxRetryDelayMs?: number;
  /**
   * `strict` (default): every record must carry `__state` set to a state id reported before the
   * batch was returned. `lenient`: records may omit `__state`, but one that has it must match.
   */
  stateContract?: StateContractMode;
  /**
   * Progress display on `output`: the source's `progress()` events and the records, bytes, rate,
   * elapsed time (and ETA when the source gives a total) of the run. Defaults to `'auto'` (a bar
   * redrawn in place on a TTY, lines otherwise; `NO_COLOR` turns the bar's colour off).
   */
  progress?: ProgressMode;
  /** Minimum time between two progress lines when not on a terminal. Defaults to 1000 ms. */
  progressLineIntervalMs?: number;
  /** Where progress and log lines go. Defaults to `process.stderr`. */
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Options for the data source (e.g. `refresh` for `validateToken`), checked with
   * `validateSourceOptions` (against `CONFIG.options` when declared) and logged with secrets masked;
   * `logger` is the runner's.
   */
  sourceOptions?: DataSourceOptions;
  /** Called with the changed parameters whenever the source fires `source-change`. */
  onSourceChange?: (changed: Readonly<Record<string, unknown>>) => void;
  /**
   * Read the next batch while the previous one is written and its state saved, so that the source
   * and the output work at the same time. The source still sees one `read` at a time, and the state
   * still moves only once a batch is durable: a kill loses nothing either way, and at most two
   * batches are held in memory. `false` reads only after the previous batch is committed. Defaults
   * to `true`.
   */
  readAhead?: boolean;
}

/** What {@link runDataSource} resolves with. */
export interface RunSummary {
  readonly recordCount: number;
  readonly batchCount: number;
  readonly readCalls: number;
  /** Failed `read` calls that were retried. */
  readonly readRetries: number;
  /** The merged state after the last batch. */
  readonly state: RunState;
  /** Identifies the run across resumes (kept in the state file); prefix of every deduplication id. */
  readonly runId: string;
  /** Whether the run started from a saved or initial state. */
  readonly resumed: boolean;
  readonly durationMs: number;
}

function checkOptions(options: RunDataSourceOptions): void {
  if ((options.sink === undefined) === (options.writer === undefined)) {
    throw new ConfigError('give exactly one of sink and writer');
  }
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ConfigError('batchSize must be an integer >= 1');
  for (const name of ['maxReadAttempts', 'maxSendAttempts'] as const) {
    const value = options[name] ?? 4;
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be an integer >= 1`);
  }
}

/**
 * Runs a data source module end to end: validates params and options (secrets are never logged),
 * builds the source (with the saved state as `source.state`), calls `read(batchSize)` until it
 * returns `null`, checks the `__state` contract, encodes and sends each batch to the sink or writer
 * (with a deduplication id derived from its position), merges the states reported for the batch
 * (shallow, later keys win) and saves them, with the sink's checkpoint, once the batch is durable.
 * A record that cannot be encoded fails the run with `InvalidRecordError` and the state does not
 * move. Retryable `read` errors are retried with backoff; `close()` is always called once the source
 * was built.
 */
export async function runDataSource(options: RunDataSourceOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  checkOptions(options);
  const { Stream, CONFIG } = toDataSourceModule(options.module);
  const params = validateParams(CONFIG, options.params);
  // Panoply's convention: a source's records go to its type's table unless told otherwise.
  if ((params.destination === undefined || params.destination === '') && typeof params.type === 'string') {
    params.destination = params.type;
  }
  // A logger function given here is replaced by the runner's; anything else named logger is refused.
  const { logger: givenLogger, ...givenOptions } = options.sourceOptions ?? {};
  const sourceOptions = validateSourceOptions(
    CONFIG,
    givenLogger === undefined || typeof givenLogger === 'function'
      ? givenOptions
      : { ...givenOptions, logger: givenLogger },
  );
  const reporter = createProgressReporter({
    stream: options.output,
    mode: options.progress,
    label: CONFIG.title,
  });
  const log = (line: string): void => reporter.log(line);
  const batchSize = options.batchSize ?? 1000;
  const maxReadAttempts = options.maxReadAttempts ?? 4;
  const maxSendAttempts = options.maxSendAttempts ?? 4;
  const backoff = {
    baseDelayMs: options.retryBaseDelayMs ?? 1000,
    maxDelayMs: options.maxRetryDelayMs ?? 30_000,
  };
  const strict = (options.stateContract ?? 'strict') === 'strict';
  const defaultTable =
    options.defaultTable ??
    (typeof params.destination === 'string' ? params.destination : undefined) ??
    'data';

  const stateFilePath = options.stateFilePath;
  const saved = stateFilePath === undefined ? undefined : await readStateFile(stateFilePath);
  const savedState = saved?.state;
  let state: RunState = { ...(savedState ?? options.initialState ?? {}) };
  const resumed = savedState !== undefined || options.initialState !== undefined;
  const runId = saved?.runId ?? randomUUID().replaceAll('-', '');
  let committedBatches = saved?.batchCount ?? 0;
  log(`starting ${CONFIG.title} with params ${JSON.stringify(redactParams(CONFIG, params))}`);
  if (Object.keys(sourceOptions).length > 0) {
    log(`source options ${JSON.stringify(redactSourceOptions(CONFIG, sourceOptions))}`);
  }
  if (resumed) log(`resuming from saved state ${JSON.stringify(state)}`);

  const sink = options.sink;
  const checkpointing =
    sink !== undefined &&
    stateFilePath !== undefined &&
    typeof sink.checkpoint === 'function' &&
    typeof sink.restoreCheckpoint === 'function';
  if (checkpointing) {
    const note = await (sink as Required<Sink>).restoreCheckpoint(saved?.sinkCheckpoint);
    if (note !== undefined) log(note);
  }
  const checkpoint = async (): Promise<SinkCheckpoint | undefined> =>
    checkpointing ? (sink as Required<Sink>).checkpoint() : undefined;
  // Before the first batch: the run id (and where the output starts) must survive a kill, or a
  // resumed run could not give replayed batches the same ids (or cut the output back).
  if (
    stateFilePath !== undefined &&
    (saved === undefined ||
      saved.runId === undefined ||
      (checkpointing && saved.sinkCheckpoint === undefined))
  ) {
    await saveStateFile(stateFilePath, savedState ?? null, {
      runId,
      batchCount: committedBatches,
      sinkCheckpoint: await checkpoint(),
    });
  }

  const source = { ...params, ...(resumed ? { state: { ...state } } : {}) };
  const instance: DataSource = new Stream(source, {
    ...sourceOptions,
    logger: (messages: readonly unknown[]) => log(format(...messages)),
  });

  let reported: SourceStateEvent[] = [];
  instance.on('source-state', (event) => {
    if (typeof event?.stateId !== 'string' || typeof event.state !== 'object' || event.state === null) {
      throw new StateContractError('state(stateId, state) needs a string id and an object state');
    }
    reported.push(event);
  });
  instance.on('progress', (event) => reporter.update(event));
  instance.on('source-change', (changed) => {
    Object.assign(params, changed);
    log(`source parameters changed: ${Object.keys(changed).join(', ')}`);
    options.onSourceChange?.(changed);
  });

  let recordCount = 0;
  // Encoded bytes the sink accepted (the progress line shows them; a writer's are not known).
  let bytesSent = 0;
  let batchCount = 0;
  let readCalls = 0;
  let readRetries = 0;
  let sequence = 0;

  /** One `read` (retried as configured), with the states the source reported for that batch. */
  const readBatch = async (): Promise<{
    batch: readonly DataRecord[] | null | undefined;
    states: SourceStateEvent[];
  }> => {
    for (let attempt = 1; ; attempt++) {
      reported = [];
      readCalls++;
      try {
        const batch = await instance.read(batchSize);
        return { batch, states: reported };
      } catch (error) {
        if (!isRetryableError(error) || attempt >= maxReadAttempts) throw new ReadFailedError(attempt, error);
        const delayMs = backoffDelayMs(attempt - 1, backoff);
        const reason = error instanceof Error ? error.message : String(error);
        log(`read failed (attempt ${attempt}/${maxReadAttempts}), retrying in ${delayMs} ms: ${reason}`);
        readRetries++;
        await sleepMs(delayMs, true);
      }
    }
  };

  const prepare = (
    batch: readonly DataRecord[],
    states: readonly SourceStateEvent[],
  ): { records: DataRecord[]; merged: RunState } => {
    const usedIds = stateIdsOfBatch(batch, states, strict);
    const records = batch.map((record) =>
      typeof record.__table === 'string' ? { ...record } : { ...record, __table: defaultTable },
    );
    let merged: RunState = {};
    for (const event of states) {
      if (usedIds.has(event.stateId)) merged = { ...merged, ...event.state };
    }
    return { records, merged };
  };

  // Encoding is part of the batch: a record that cannot be encoded fails the run with
  // InvalidRecordError before anything is sent, and the state stays where it was.
  const sendToSink = async (sink: Sink, records: DataRecord[], prefix: string): Promise<void> => {
    const parts = records.map((record, index) => {
      try {
        return sink.encodeRecord(record);
      } catch (error) {
        throw toInvalidRecordError(
          error,
          `record ${index} of batch ${committedBatches + 1} (table "${String(record.__table)}")`,
        );
      }
    });
    const batch: WriterBatch = {
      sequence: ++sequence,
      records,
      body: parts.join(''),
      deduplicationId: deduplicationId(prefix, 0, records),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.sendBatch(batch);
        bytesSent += Buffer.byteLength(batch.body);
        return;
      } catch (error) {
        // The sink's own typed, final errors (an output that no longer matches the state) are not retried.
        if (DatasourceError.isInstance(error) && !error.retryable) throw error;
        if (attempt >= maxSendAttempts) throw new SendFailedError(batch, attempt, error);
        await sleepMs(backoffDelayMs(attempt - 1, backoff), true);
      }
    }
  };

  const sendToWriter = async (
    writer: PanoplyWriter,
    records: DataRecord[],
    prefix: string,
  ): Promise<void> => {
    const failedBefore = writer.failedBatches.length;
    await writer.writeBatch(records, { deduplicationIdPrefix: prefix });
    const result = await writer.flush();
    if (result.failedBatches.length > failedBefore) {
      const failed = result.failedBatches[result.failedBatches.length - 1] as WriterBatch;
      throw new SendFailedError(failed, maxSendAttempts, new Error('the writer could not deliver a batch'));
    }
  };

  const readAhead = options.readAhead ?? true;
  // The read in flight. It is always awaited before close(), so a source is never closed mid-read.
  let nextRead: ReturnType<typeof readBatch> | undefined;
  try {
    for (;;) {
      const { batch, states } = await (nextRead ?? readBatch());
      nextRead = undefined;
      if (batch === null || batch === undefined) break;
      if (!Array.isArray(batch)) {
        throw new StateContractError('read() must return an array of records, or null at the end');
      }
      if (batch.length === 0) continue;
      const { records, merged } = prepare(batch, states);
      if (readAhead) {
        nextRead = readBatch();
        // Its failure is met when the loop awaits it, after this batch is committed; until then a
        // failed write may end the run first, and the read must not count as unhandled.
        nextRead.catch(() => undefined);
      }
      // The batch's position: the run and its ordinal in the run, the same when replayed after a kill.
      const prefix = `${runId}.${committedBatches + 1}`;
      if (sink !== undefined) await sendToSink(sink, records, prefix);
      else await sendToWriter(options.writer as PanoplyWriter, records, prefix);
      const sinkCheckpoint = await checkpoint();
      const nextState = { ...state, ...merged };
      if (stateFilePath !== undefined) {
        await saveStateFile(stateFilePath, nextState, {
          runId,
          batchCount: committedBatches + 1,
          sinkCheckpoint,
        });
      }
      state = nextState;
      committedBatches++;
      recordCount += records.length;
      batchCount++;
      reporter.records(recordCount, sink === undefined ? undefined : bytesSent);
    }
    log(
      `done: ${recordCount} records in ${batchCount} batches, ${readRetries} read retries, ${Date.now() - startedAt} ms`,
    );
  } finally {
    if (nextRead !== undefined) await nextRead.catch(() => undefined);
    try {
      await instance.close?.();
    } catch (error) {
      log(`close() failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    reporter.finish();
  }
  return {
    recordCount,
    batchCount,
    readCalls,
    readRetries,
    state,
    runId,
    resumed,
    durationMs: Date.now() - startedAt,
  };
}
