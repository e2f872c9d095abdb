import { randomUUID } from 'node:crypto';
import type {
  AirbyteMessage,
  AirbyteRecordMessage,
  AirbyteStateMessagePayload,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  TextMasker,
} from '@sdk/stream-cdk';
import { toJsonText } from '@sdk/stream-cdk';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { SourceFailedError } from './errors/source-failed-error';
import { convertValue } from './internal/convert-value';
import { parseExactJson } from './internal/parse-exact-json';
import { planStreamTables, type StreamTable, streamKey } from './internal/stream-table';
import {
  GLOBAL_STATE_KEY,
  LEGACY_STATE_KEY,
  messageOf,
  openDatabase,
  type StagedRow,
  type StoredState,
  SyncStore,
  stateFromJson,
  stateToJson,
} from './internal/sync-store';

/** Progress of one stream during a sync. */
export interface StreamProgress {
  /** `namespace.name`, or `name`. */
  readonly stream: string;
  /** The DuckDB table it lands in. */
  readonly table: string;
  /** Records received from the source in this run. */
  readonly recordsRead: number;
  /** Records committed to the database in this run (with the checkpoint that covers them). */
  readonly recordsCommitted: number;
  /** Checkpoints (STATE messages) committed in this run. */
  readonly checkpoints: number;
  /** `running`, `complete` (the source said so) or `failed`. */
  readonly status: 'running' | 'complete' | 'failed';
}

/** A snapshot of a running sync, handed to {@link SyncMessagesOptions.onProgress}. */
export interface SyncProgress {
  readonly runId: string;
  readonly elapsedMs: number;
  readonly streams: readonly StreamProgress[];
}

/** Result of one stream of a finished (or failed) sync. */
export interface StreamSyncResult extends StreamProgress {
  /** Rows in the stream's table after the sync. */
  readonly rowsInTable: number;
  /** The error the source reported for this stream, masked, if any. */
  readonly error?: string;
}

/** Result of {@link syncMessages}. */
export interface SyncResult {
  readonly runId: string;
  readonly dbPath: string;
  readonly durationMs: number;
  readonly streams: readonly StreamSyncResult[];
  /**
   * True when {@link SyncMessagesOptions.signal} stopped the sync: every checkpoint up to the stop is
   * committed, records after the last one were dropped (the next sync reads them again), and full
   * refresh tables were left as they were.
   */
  readonly stopped: boolean;
}

/** What a read function gets: the state to resume from, as a platform would pass it with `--state`. */
export interface ReadInput {
  /**
   * The stored STATE payloads (`type` STREAM, GLOBAL or LEGACY) of the configured streams, or undefined
   * on a first sync. Integers beyond 2^53 are bigints.
   */
  readonly state: readonly AirbyteStateMessagePayload[] | undefined;
  /** The same state as JSON text (integers exact), for a `--state` file. `undefined` without state. */
  readonly stateJson: string | undefined;
  /**
   * Aborted when the sync is stopped ({@link SyncMessagesOptions.signal}): the read function should
   * then stop its source and end, as the sync reads nothing more. Never aborted without a `signal`.
   */
  readonly signal: AbortSignal;
}

/**
 * The source side of a sync: yields Airbyte messages (objects or JSON lines as text, one or an array at
 * a time). It throws, or yields an ERROR trace, when the source fails.
 */
export type ReadMessages = (
  input: ReadInput,
) => AsyncIterable<AirbyteMessage | string | readonly (AirbyteMessage | string)[]>;

/** Options of {@link syncMessages}. */
export interface SyncMessagesOptions {
  /** The DuckDB file (created if missing). */
  readonly dbPath: string;
  /** The configured catalog: one table per stream, typed from its `json_schema`. */
  readonly catalog: ConfiguredAirbyteCatalog;
  /** Reads the source from the stored state. */
  readonly read: ReadMessages;
  /** Masks secrets in every error and log text the sync hands out. Defaults to no masking. */
  readonly masker?: TextMasker;
  /** Called during the sync (at most every `progressIntervalMs`) and once at the end. Defaults to none. */
  readonly onProgress?: (progress: SyncProgress) => void;
  /** The least time between two {@link SyncMessagesOptions.onProgress} calls, in milliseconds. Defaults to 250. */
  readonly progressIntervalMs?: number;
  /**
   * Called once the database is ready, just before the source is read, with the streams and those that
   * resume from a stored state. Defaults to none.
   */
  readonly onStart?: (start: {
    readonly runId: string;
    readonly streams: readonly string[];
    readonly resumed: readonly string[];
  }) => void;
  /** Called with every LOG message of the source (masked). Defaults to none. */
  readonly onLog?: (level: string, message: string) => void;
  /**
   * Records per stream held in memory before they are written to the stream's staging table (still
   * uncommitted: a kill drops them). Defaults to 10_000.
   */
  readonly maxBufferedRecords?: number;
  /**
   * Stops the sync cleanly when aborted (a source that never exits, a Ctrl-C): reading ends, the
   * checkpoints committed so far stay, records no checkpoint covers yet are dropped (the next sync asks
   * the source for them again, from the stored state), full refresh tables are not replaced, and the
   * sync resolves with `stopped: true` and run log status `stopped`. Defaults to none.
   */
  readonly signal?: AbortSignal;
}

interface StreamRun {
  readonly table: StreamTable;
  buffer: StagedRow[];
  /** Rows of this run already spilled to the staging table under `checkpoint + 1`. */
  spilled: number;
  checkpoint: number;
  stateJson: string | null;
  recordsRead: number;
  recordsCommitted: number;
  checkpoints: number;
  status: 'running' | 'complete' | 'failed';
  error: string | undefined;
  sequence: number;
  /** Primary keys (as text) staged since the last merge, for incremental streams with a key. */
  stagedKeys: Set<string> | undefined;
  /** Whether a key repeated among them (then the merge deduplicates within the stage too). */
  stagedKeysRepeat: boolean;
  /** Column indexes of the primary key, when every part is a top-level column compared as its text. */
  readonly keyColumns: readonly number[];
  /** When the stream's first and latest message arrived (performance.now()), for the run log. */
  firstSeenMs: number | undefined;
  lastSeenMs: number | undefined;
}

function touch(run: StreamRun | undefined): void {
  if (run === undefined) return;
  const now = performance.now();
  run.firstSeenMs ??= now;
  run.lastSeenMs = now;
}

function streamDurationMs(run: StreamRun): number {
  return run.firstSeenMs === undefined || run.lastSeenMs === undefined ? 0 : run.lastSeenMs - run.firstSeenMs;
}

const NO_MASK: TextMasker = { mask: (text) => text };
const NO_CURSOR_STATE = '__ab_no_cursor_state_message';

/**
 * Syncs an Airbyte message stream into a DuckDB file, one table per configured stream:
 *
 * - Records wait in memory (then in the stream's staging table) until the STATE that covers them; that
 *   STATE and its records are committed in one transaction, with the stream's run log row. A sync killed
 *   at any point resumes from the last committed STATE with nothing lost and nothing duplicated.
 * - `incremental` streams are merged at every checkpoint: with a primary key, deduplicated on it (the
 *   newest record wins), else appended. `full_refresh` streams fill their staging table, checkpoint by
 *   checkpoint, and replace the table in one transaction at the end of a successful sync.
 * - The state of every stream lives in `_sync_state`; the run log in `_sync_runs`.
 *
 * Throws {@link SourceFailedError} (`SYNC_SOURCE_FAILED`) when the source fails, after keeping every
 * checkpoint it committed, and `DuckDbSyncError` for database and protocol errors.
 */
export async function syncMessages(options: SyncMessagesOptions): Promise<SyncResult> {
  const masker = options.masker ?? NO_MASK;
  const maxBuffered = options.maxBufferedRecords ?? 10_000;
  if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
    throw new DuckDbSyncError(
      'SYNC_USAGE',
      `maxBufferedRecords must be an integer >= 1, got ${String(maxBuffered)}`,
    );
  }
  const configured = checkCatalog(options.catalog);
  const tables = planStreamTables(configured);
  const runId = randomUUID();
  const startedAt = performance.now();
  const { instance, connection } = await openDatabase(options.dbPath);
  const store = new SyncStore(connection, runId);
  try {
    await store.prepare();
    const stored = await store.storedStates();
    const runs = new Map<string, StreamRun>();
    const incoming: AirbyteStateMessagePayload[] = [];
    const incomingJson: string[] = [];
    for (const table of tables) {
      const previous = stored.get(table.key);
      const run = await prepareStreamRun(store, table, previous);
      runs.set(table.key, run);
      if (run.stateJson !== null) {
        incoming.push(stateFromJson(run.stateJson) as AirbyteStateMessagePayload);
        incomingJson.push(run.stateJson);
      }
    }
    for (const key of [GLOBAL_STATE_KEY, LEGACY_STATE_KEY]) {
      const shared = stored.get(key)?.stateJson;
      if (shared) {
        incoming.push(stateFromJson(shared) as AirbyteStateMessagePayload);
        incomingJson.push(shared);
      }
    }
    await store.logRunStart(tables);
    options.onStart?.({
      runId,
      streams: tables.map((table) => table.label),
      resumed: [...runs.values()].filter((run) => run.stateJson !== null).map((run) => run.table.label),
    });
    const result = async (stopped: boolean): Promise<SyncResult> => {
      const streams: StreamSyncResult[] = [];
      for (const run of runs.values())
        streams.push({ ...progressOf(run), rowsInTable: await store.countRows(run.table) });
      return { runId, dbPath: options.dbPath, durationMs: performance.now() - startedAt, streams, stopped };
    };
    const progress = (): SyncProgress => ({
      runId,
      elapsedMs: performance.now() - startedAt,
      streams: [...runs.values()].map(progressOf),
    });
    const signal = options.signal ?? new AbortController().signal;
    const input: ReadInput =
      incoming.length === 0
        ? { state: undefined, stateJson: undefined, signal }
        : { state: incoming, stateJson: `[${incomingJson.join(',')}]`, signal };
    const progressIntervalMs = options.progressIntervalMs ?? 250;
    let lastProgress = performance.now();
    let sourceError: unknown;
    let generalError: string | undefined;
    const consume = async (message: AirbyteMessage) => {
      switch (message.type) {
        case 'RECORD':
          return receiveRecord(store, runs, message, maxBuffered);
        case 'STATE':
          return commitState(store, runs, message.state);
        case 'TRACE': {
          const trace = message.trace;
          if (trace?.type === 'STREAM_STATUS' && trace.stream_status) {
            const descriptor = trace.stream_status.stream_descriptor;
            const run = runs.get(streamKey(descriptor.name, descriptor.namespace));
            touch(run);
            if (run && trace.stream_status.status === 'COMPLETE') run.status = 'complete';
            if (run && trace.stream_status.status === 'INCOMPLETE') run.status = 'failed';
          } else if (trace?.type === 'ERROR' && trace.error) {
            const text = masker.mask(trace.error.message ?? 'the source reported an error');
            const descriptor = trace.error.stream_descriptor;
            const run = descriptor ? runs.get(streamKey(descriptor.name, descriptor.namespace)) : undefined;
            if (run) {
              run.status = 'failed';
              run.error = text;
            } else generalError = text;
          }
          return;
        }
        case 'LOG':
          options.onLog?.(message.log?.level ?? 'INFO', masker.mask(message.log?.message ?? ''));
          return;
        default:
          return;
      }
    };
    try {
      for await (const item of options.read(input)) {
        if (typeof item === 'string') {
          const message = parseMessageLine(item, masker);
          if (message === undefined) options.onLog?.('INFO', masker.mask(item));
          else await consume(message);
        } else if (Array.isArray(item)) {
          for (const entry of item as readonly (AirbyteMessage | string)[]) {
            if (typeof entry !== 'string') await consume(entry);
            else {
              const message = parseMessageLine(entry, masker);
              if (message === undefined) options.onLog?.('INFO', masker.mask(entry));
              else await consume(message);
            }
          }
        } else {
          await consume(item as AirbyteMessage);
        }
        if (options.onProgress !== undefined && performance.now() - lastProgress >= progressIntervalMs) {
          lastProgress = performance.now();
          options.onProgress(progress());
        }
        // Leaving the loop ends the read function (its finally stops the source).
        if (signal.aborted) break;
      }
    } catch (error) {
      if (DuckDbSyncError.isInstance(error) && error.code !== 'SYNC_SOURCE_FAILED') {
        // A protocol or database error ends the sync here; the run log says so where it still can.
        await logFailure(store, runs, masker.mask(error.message)).catch(() => undefined);
        throw error;
      }
      sourceError = error;
    }
    const failed = [...runs.values()].filter((run) => run.status === 'failed');
    if (signal.aborted && sourceError === undefined && failed.length === 0 && generalError === undefined) {
      await dropUncovered(store, runs);
      for (const run of runs.values())
        await store.logRunEnd(run.table, run.recordsCommitted, streamDurationMs(run), undefined, 'stopped');
      options.onProgress?.(progress());
      return await result(true);
    }
    if (sourceError !== undefined || failed.length > 0 || generalError !== undefined) {
      const reasons = [...runs.values()]
        .filter((run) => run.error !== undefined)
        .map((run) => `${run.table.label}: ${run.error}`);
      if (generalError !== undefined) reasons.push(generalError);
      if (sourceError !== undefined)
        reasons.push(messageOf(sourceError).replace(/^\[SYNC_SOURCE_FAILED\] /, ''));
      if (reasons.length === 0)
        reasons.push(`${failed.map((run) => run.table.label).join(', ')} ended incomplete`);
      const reason = masker.mask(reasons.join('; '));
      for (const run of runs.values()) {
        if (run.status === 'complete') continue;
        run.status = 'failed';
        run.error ??= reason;
      }
      for (const run of runs.values()) {
        await store.logRunEnd(
          run.table,
          run.recordsCommitted,
          streamDurationMs(run),
          run.status === 'failed' ? run.error : undefined,
        );
      }
      throw new SourceFailedError(
        `${reason}; every checkpoint committed before the failure is kept, and the next sync resumes from it`,
        {
          failedStreams: [...runs.values()]
            .filter((run) => run.status === 'failed')
            .map((run) => run.table.label),
          exitCode: SourceFailedError.isInstance(sourceError) ? sourceError.exitCode : undefined,
          cause: sourceError,
        },
      );
    }
    await finishSuccessfulSync(store, runs);
    for (const run of runs.values()) {
      run.status = 'complete';
      await store.logRunEnd(run.table, run.recordsCommitted, streamDurationMs(run), undefined);
    }
    options.onProgress?.(progress());
    return await result(false);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function logFailure(store: SyncStore, runs: Map<string, StreamRun>, error: string): Promise<void> {
  await store.rollback();
  for (const run of runs.values())
    await store.logRunEnd(run.table, run.recordsCommitted, streamDurationMs(run), error);
}

function checkCatalog(catalog: ConfiguredAirbyteCatalog): readonly ConfiguredAirbyteStream[] {
  const streams = (catalog as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams))
    throw new DuckDbSyncError('SYNC_PROTOCOL', 'the configured catalog has no "streams" array');
  for (const [index, stream] of streams.entries()) {
    const configured = stream as ConfiguredAirbyteStream;
    if (typeof configured?.stream?.name !== 'string')
      throw new DuckDbSyncError('SYNC_PROTOCOL', `configured stream ${index} has no stream.name`);
    if (configured.sync_mode !== 'full_refresh' && configured.sync_mode !== 'incremental') {
      throw new DuckDbSyncError(
        'SYNC_PROTOCOL',
        `configured stream "${configured.stream.name}" has sync_mode ${JSON.stringify(configured.sync_mode)}`,
      );
    }
  }
  return streams as ConfiguredAirbyteStream[];
}

async function prepareStreamRun(
  store: SyncStore,
  table: StreamTable,
  previous: StoredState | undefined,
): Promise<StreamRun> {
  let stateJson = previous?.stateJson ?? null;
  let checkpoint = previous?.checkpoint ?? 0;
  if (previous !== undefined && previous.syncMode !== table.syncMode) stateJson = null;
  // A full refresh that cannot resume (no state, or the CDK's "no cursor" sentinel) starts over.
  if (table.syncMode === 'full_refresh' && stateJson !== null && stateJson.includes(NO_CURSOR_STATE))
    stateJson = null;
  const keepStage = !(table.syncMode === 'full_refresh' && stateJson === null);
  await store.prepareStream(table, checkpoint, keepStage);
  if (stateJson === null && previous?.stateJson) {
    checkpoint += 1;
    await store.saveState(
      table.key,
      { name: table.name, namespace: table.namespace, syncMode: table.syncMode },
      null,
      checkpoint,
    );
  }
  const keyColumns = textComparableKey(table);
  return {
    table,
    buffer: [],
    spilled: 0,
    checkpoint,
    stateJson,
    recordsRead: 0,
    recordsCommitted: 0,
    checkpoints: 0,
    status: 'running',
    error: undefined,
    sequence: 0,
    firstSeenMs: undefined,
    lastSeenMs: undefined,
    stagedKeys: keyColumns === undefined ? undefined : new Set(),
    keyColumns: keyColumns ?? [],
    stagedKeysRepeat: false,
  };
}

/**
 * The key column indexes of an incremental stream whose key parts are all top-level columns of a type
 * whose converted value's text is its identity in DuckDB (integers, text, booleans): then the sync can
 * tell, while staging, whether a key repeats. Else undefined, and every merge deduplicates.
 */
function textComparableKey(table: StreamTable): number[] | undefined {
  if (table.syncMode !== 'incremental' || table.primaryKey.length === 0) return undefined;
  const indexes: number[] = [];
  for (const path of table.primaryKey) {
    const index = path.length === 1 ? table.columnIndex.get(path[0] as string) : undefined;
    const type = index === undefined ? undefined : table.columns[index]?.type;
    if (
      index === undefined ||
      !(type === 'BIGINT' || type === 'HUGEINT' || type === 'VARCHAR' || type === 'BOOLEAN')
    ) {
      return undefined;
    }
    indexes.push(index);
  }
  return indexes;
}

function progressOf(run: StreamRun): StreamProgress {
  return {
    stream: run.table.label,
    table: run.table.table,
    recordsRead: run.recordsRead,
    recordsCommitted: run.recordsCommitted,
    checkpoints: run.checkpoints,
    status: run.status,
  };
}

function parseMessageLine(line: string, masker: TextMasker): AirbyteMessage | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = parseExactJson(trimmed);
  } catch (error) {
    throw new DuckDbSyncError(
      'SYNC_PROTOCOL',
      `the source wrote a line that starts like a message but is not JSON (${masker.mask(messageOf(error))})`,
    );
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string')
    return undefined;
  return value as AirbyteMessage;
}

async function receiveRecord(
  store: SyncStore,
  runs: Map<string, StreamRun>,
  message: AirbyteRecordMessage,
  maxBuffered: number,
): Promise<void> {
  const record = message.record;
  if (record === undefined) throw new DuckDbSyncError('SYNC_PROTOCOL', 'a RECORD message has no "record"');
  const run = runs.get(streamKey(record.stream, record.namespace));
  if (run === undefined) {
    throw new DuckDbSyncError(
      'SYNC_PROTOCOL',
      `the source sent a record of stream "${record.namespace ? `${record.namespace}.` : ''}${record.stream}", which is not in the configured catalog`,
    );
  }
  const data = record.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DuckDbSyncError(
      'SYNC_PROTOCOL',
      `a record of stream "${run.table.label}" has data that is not an object`,
    );
  }
  const row = await toRow(store, run.table, data);
  const meta = row.pop();
  row.push(typeof record.emitted_at === 'number' ? record.emitted_at : Date.now(), meta, run.sequence);
  run.sequence += 1;
  run.buffer.push(row);
  run.recordsRead += 1;
  if (run.stagedKeys !== undefined && !run.stagedKeysRepeat) {
    // Keys as DuckDB compares them: the converted values of scalar columns (see keyColumns).
    let key = '';
    for (const index of run.keyColumns) {
      const value = row[index];
      if (value === null || value === undefined) {
        run.stagedKeysRepeat = true; // NULL keys group together in the merge's window
        break;
      }
      key += `${typeof value === 'string' ? JSON.stringify(value) : String(value)},`;
    }
    if (run.stagedKeys.has(key)) run.stagedKeysRepeat = true;
    else run.stagedKeys.add(key);
  }
  touch(run);
  if (run.buffer.length >= maxBuffered) {
    await store.appendStaged(run.table, run.buffer, run.checkpoint + 1);
    run.spilled += run.buffer.length;
    run.buffer = [];
  }
}

/** The staged row of one record: column values, emitted_at, meta, sequence (the last two set here). */
async function toRow(
  store: SyncStore,
  table: StreamTable,
  data: Record<string, unknown>,
): Promise<StagedRow> {
  const row: StagedRow = new Array(table.columns.length);
  let rejected: Record<string, unknown> | undefined;
  for (let index = 0; index < table.columns.length; index += 1) {
    const column = table.columns[index] as StreamTable['columns'][number];
    const value = data[column.name];
    // The common cases without convertValue's result object: a few allocations less per value.
    const type = column.type;
    if (typeof value === 'string') {
      if (type === 'VARCHAR') {
        row[index] = value;
        continue;
      }
    } else if (typeof value === 'number') {
      if (type === 'DOUBLE') {
        row[index] = value;
        continue;
      }
      // A safe integer stays a number: the appender writes it exactly (see appendStaged).
      if ((type === 'BIGINT' || type === 'HUGEINT') && Number.isSafeInteger(value)) {
        row[index] = value;
        continue;
      }
    } else if (typeof value === 'boolean') {
      if (type === 'BOOLEAN') {
        row[index] = value;
        continue;
      }
    } else if (value === null || value === undefined) {
      row[index] = null;
      continue;
    }
    let converted = convertValue(value, type);
    if (!converted.ok && converted.widenTo === 'HUGEINT') {
      await store.widenToHugeint(table, column);
      converted = convertValue(value, column.type);
    }
    if (converted.ok) row[index] = converted.value;
    else {
      row[index] = null;
      rejected ??= {};
      rejected[column.name] = value;
    }
  }
  let extra: Record<string, unknown> | undefined;
  for (const key in data) {
    if (!table.columnIndex.has(key) && Object.hasOwn(data, key)) {
      extra ??= {};
      extra[key] = data[key];
    }
  }
  const meta =
    rejected === undefined && extra === undefined
      ? null
      : toJsonText({ ...(extra ? { extra } : {}), ...(rejected ? { rejected } : {}) });
  // emitted_at is pushed by the caller; keep meta last until then.
  row.push(meta);
  return row;
}

async function commitState(
  store: SyncStore,
  runs: Map<string, StreamRun>,
  payload: AirbyteStateMessagePayload | undefined,
): Promise<void> {
  if (payload === undefined) throw new DuckDbSyncError('SYNC_PROTOCOL', 'a STATE message has no "state"');
  const {
    sourceStats: _source,
    destinationStats: _destination,
    ...clean
  } = payload as AirbyteStateMessagePayload & {
    sourceStats?: unknown;
    destinationStats?: unknown;
  };
  const stateJson = stateToJson(clean);
  if (payload.type === 'STREAM' || (payload.type === undefined && payload.stream !== undefined)) {
    const descriptor = payload.stream?.stream_descriptor;
    if (descriptor === undefined)
      throw new DuckDbSyncError('SYNC_PROTOCOL', 'a STREAM state has no stream_descriptor');
    const run = runs.get(streamKey(descriptor.name, descriptor.namespace));
    if (run === undefined) return;
    touch(run);
    await checkpoint([run], store, async () => {
      await store.saveState(run.table.key, stateOwner(run), stateJson, run.checkpoint + 1);
    });
    run.stateJson = stateJson;
    return;
  }
  // GLOBAL and LEGACY states cover every stream at once.
  const key = payload.type === 'GLOBAL' ? GLOBAL_STATE_KEY : LEGACY_STATE_KEY;
  const all = [...runs.values()];
  await checkpoint(all, store, async () => {
    await store.saveState(key, undefined, stateJson, 0);
    for (const run of all) await store.saveState(run.table.key, stateOwner(run), null, run.checkpoint + 1);
  });
}

function stateOwner(run: StreamRun) {
  return { name: run.table.name, namespace: run.table.namespace, syncMode: run.table.syncMode };
}

/** One transaction: the buffered rows of `streams`, merged where incremental, plus `saveStates`. */
async function checkpoint(
  streams: readonly StreamRun[],
  store: SyncStore,
  saveStates: () => Promise<void>,
): Promise<void> {
  await store.begin();
  try {
    for (const run of streams) {
      await store.appendStaged(run.table, run.buffer, run.checkpoint + 1);
      if (run.table.syncMode === 'incremental') {
        await store.moveStaged(run.table, false, run.stagedKeys === undefined || run.stagedKeysRepeat);
      }
    }
    await saveStates();
    for (const run of streams)
      await store.logRecordsWritten(run.table, run.recordsCommitted + run.buffer.length + run.spilled);
    await store.commit();
  } catch (error) {
    await store.rollback();
    throw error;
  }
  for (const run of streams) {
    run.stagedKeys?.clear();
    run.stagedKeysRepeat = false;
    run.recordsCommitted += run.buffer.length + run.spilled;
    run.buffer = [];
    run.spilled = 0;
    run.checkpoint += 1;
    run.checkpoints += 1;
  }
}

/**
 * The end of a stopped sync: records no checkpoint covers are dropped, from memory and from the staging
 * tables (where they were spilled under the next checkpoint's number).
 */
async function dropUncovered(store: SyncStore, runs: Map<string, StreamRun>): Promise<void> {
  for (const run of runs.values()) {
    if (run.spilled > 0) await store.dropStagedAfter(run.table, run.checkpoint);
    run.recordsRead -= run.buffer.length + run.spilled;
    run.buffer = [];
    run.spilled = 0;
    run.stagedKeys?.clear();
    run.stagedKeysRepeat = false;
  }
}

/** The end of a successful sync: every stream's last records, and every full refresh swapped in, in one transaction. */
async function finishSuccessfulSync(store: SyncStore, runs: Map<string, StreamRun>): Promise<void> {
  const all = [...runs.values()];
  await checkpoint(all, store, async () => {
    for (const run of all) {
      if (run.table.syncMode !== 'full_refresh') continue;
      await store.moveStaged(run.table, true);
      // The next full refresh starts over.
      await store.saveState(run.table.key, stateOwner(run), null, run.checkpoint + 1);
    }
  });
}
