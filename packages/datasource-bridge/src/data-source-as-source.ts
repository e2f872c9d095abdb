import { format } from 'node:util';
import {
  ConfigError,
  type DataRecord,
  type DataSource,
  type DataSourceModule,
  type DataSourceOptions,
  DatasourceError,
  IncorrectParamError,
  isRetryableError,
  type SourceParams,
  type SourceStateEvent,
  StateContractError,
  stateIdsOfBatch,
  TokenValidationError,
  toDataSourceModule,
  validateParams,
} from '@sdk/datasource';
import {
  type AirbyteCatalog,
  type AirbyteMessage,
  type AirbyteStream,
  backoffDelayMs,
  CatalogError,
  type CheckConnectionResult,
  type ConfiguredAirbyteCatalog,
  type ConnectorSpecification,
  createSecretMasker,
  DEFAULT_RETRY_POLICY,
  errorTrace,
  type FailureType,
  type JsonObject,
  logMessage,
  type ReadOptions,
  Source,
  type Stream,
  SyncFailedError,
  type SyncMode,
  streamStateMessage,
  streamStatusTrace,
  type TextMasker,
  TracedError,
} from '@sdk/stream-cdk';
import { BridgeError } from './errors/bridge-error';
import { inferJsonSchema, type JsonSchemaObject } from './infer-json-schema';
import { type BridgeStreamState, newestBridgeState } from './internal/bridge-stream-state';
import { defineValue, toJsonValue } from './internal/to-json-value';
import { paramsToConnectionSpecification } from './params-to-connection-specification';

/** A stream (table) the DataSource writes, declared so that discovery needs no sample read. */
export interface DeclaredStream {
  /** The table name: records carry it as `__table` (or land in the default table). */
  readonly name: string;
  /** The records' JSON Schema. Defaults to one inferred from a sample ({@link inferJsonSchema}). */
  readonly jsonSchema?: JsonSchemaObject;
  /** `source_defined_primary_key`: each key component as a path of field names. Defaults to none. */
  readonly primaryKey?: readonly (readonly string[])[];
}

/** Options of {@link dataSourceAsSource}. Durations in milliseconds. */
export interface DataSourceAsSourceOptions {
  /**
   * The tables the DataSource writes: a list, or a function of the validated parameters (for sources
   * whose tables depend on the config, like a database's). Defaults to those seen in a sample of
   * `sampleSize` records read at `discover` (a DataSource declares no schema; the rules are
   * {@link inferJsonSchema}'s). Streams declared without `jsonSchema` get one inferred from that sample.
   */
  streams?:
    | readonly DeclaredStream[]
    | ((params: SourceParams) => readonly DeclaredStream[] | Promise<readonly DeclaredStream[]>);
  /**
   * Table of records without `__table`. Defaults to the `destination` parameter, as the Panoply runner
   * does, then to `'data'`.
   */
  defaultStream?: string;
  /** Records read at `discover` to infer schemas, when `streams` does not give them all. Defaults to 1,000. */
  sampleSize?: number;
  /** The hint passed to `read(n)`. Defaults to 1,000. */
  batchSize?: number;
  /** Calls of `read` for one batch before a retryable error fails the sync (1 + retries). Defaults to 4. */
  maxReadAttempts?: number;
  /** Delay before the first retry of `read`; doubles per retry, with jitter. Defaults to 1,000 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of one retry delay. Defaults to 30,000 ms. */
  maxRetryDelayMs?: number;
  /**
   * `strict` (default): every record must carry `__state`, set to an id reported with `state()` before
   * the batch was returned, as the Panoply runner requires. `lenient`: records may omit it.
   */
  stateContract?: 'strict' | 'lenient';
  /** `documentationUrl` of the spec. Defaults to none. */
  documentationUrl?: string;
  /** Extra options for the DataSource (e.g. `refresh` for `validateToken`); `logger` is the bridge's. */
  sourceOptions?: DataSourceOptions;
}

const DEFAULT_BATCH_SIZE = 1_000;
const DEFAULT_SAMPLE_SIZE = 1_000;

/**
 * A Panoply-style DataSource served as an Airbyte-protocol source. Create it with
 * {@link dataSourceAsSource}; run it with `launchSourceCli` (the Airbyte CLI), as a Flow capture through
 * `@sdk/flow-shim`'s `StreamCdkAirbyteDriver`, or as an AMP input tool through `@sdk/amp-input-tool`.
 */
export class DataSourceAsSource extends Source<JsonObject> {
  private readonly module: DataSourceModule;
  private readonly options: DataSourceAsSourceOptions;

  constructor(module: unknown, options: DataSourceAsSourceOptions = {}) {
    super();
    this.module = toDataSourceModule(module);
    this.options = options;
    for (const name of ['sampleSize', 'batchSize', 'maxReadAttempts'] as const) {
      const value = options[name];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
        throw new BridgeError('BRIDGE_CONFIG', `${name} must be an integer >= 1, got ${String(value)}`);
      }
    }
    if (typeof options.streams !== 'function') checkDeclaredStreams(options.streams ?? []);
  }

  /** The spec: one property per `CONFIG.params` entry (see `paramsToConnectionSpecification`). */
  spec(): ConnectorSpecification {
    return {
      connectionSpecification: paramsToConnectionSpecification(this.module.CONFIG) as JsonObject,
      ...(this.options.documentationUrl === undefined
        ? {}
        : { documentationUrl: this.options.documentationUrl }),
      supportsIncremental: true,
      supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
    };
  }

  /**
   * A DataSource has no check of its own, so the check builds it and reads one batch (`read(1)`), then
   * closes it; nothing is kept. Invalid parameters fail the check without building it.
   */
  async checkConnection(config: JsonObject): Promise<CheckConnectionResult> {
    const params = this.params(config);
    const instance = this.instantiate(params, () => {});
    try {
      await instance.read(1);
      return { succeeded: true };
    } catch (error) {
      return { succeeded: false, message: this.masker(params).mask(describe(error)) };
    } finally {
      await closeQuietly(instance);
    }
  }

  /** Not used: the bridge reads the DataSource as a whole (its tables interleave), not stream by stream. */
  streams(): Stream[] {
    return [];
  }

  /**
   * One stream per table, each with `full_refresh` and `incremental` (the DataSource's state is the
   * cursor: `source_defined_cursor`), `is_resumable`, and the declared primary key. Schemas come from
   * `streams`, or from a sample read (bounded by `sampleSize`) of a fresh DataSource with no state.
   */
  override async discover(config: JsonObject): Promise<AirbyteCatalog> {
    const params = this.params(config);
    const declared = await this.declaredStreams(params);
    const needsSample = declared.length === 0 || declared.some((stream) => stream.jsonSchema === undefined);
    const samples = needsSample ? await this.sample(params) : new Map<string, DataRecord[]>();
    const names = declared.length > 0 ? declared.map((stream) => stream.name) : [...samples.keys()];
    if (names.length === 0) names.push(this.defaultStream(params));
    return {
      streams: names.map((name) => {
        const stream = declared.find((candidate) => candidate.name === name);
        const jsonSchema = stream?.jsonSchema ?? inferJsonSchema(samples.get(name) ?? []);
        const airbyteStream: AirbyteStream = {
          name,
          json_schema: jsonSchema as JsonObject,
          supported_sync_modes: ['full_refresh', 'incremental'],
          source_defined_cursor: true,
          default_cursor_field: [],
          is_resumable: true,
        };
        if (stream?.primaryKey !== undefined) {
          airbyteStream.source_defined_primary_key = stream.primaryKey.map((path) => [...path]);
        }
        return airbyteStream;
      }),
    };
  }

  /**
   * Reads the DataSource to its end and yields Airbyte messages. Per configured stream: STARTED, RUNNING
   * before its first record, its records, and after every DataSource batch that moved the state a STATE
   * for every configured stream (`{ datasource_state, sequence }`: the one shared state, numbered);
   * COMPLETE at the end. A full refresh ends with a state marked `complete`, so the next full refresh
   * starts over while a killed one resumes. Records of tables not in the catalog are skipped and counted
   * in a LOG line. On failure: INCOMPLETE for every stream, one ERROR trace, then `SyncFailedError`.
   *
   * @throws CatalogError for a catalog that mixes sync modes (one state cannot serve both) or names a
   * namespace; StateParseError for a state the bridge did not write.
   */
  override async *readBatches(
    config: JsonObject,
    catalog: ConfiguredAirbyteCatalog,
    state?: unknown,
    _options: ReadOptions = {},
  ): AsyncGenerator<AirbyteMessage[]> {
    const { names, syncMode } = validateCatalog(catalog);
    const newest = newestBridgeState(state);
    const resumeFrom =
      newest === undefined || (syncMode === 'full_refresh' && newest.complete === true) ? undefined : newest;
    const params = this.params(config);
    const masker = this.masker(params);
    const logs: AirbyteMessage[] = [];
    const log = (level: 'INFO' | 'WARN', text: string) => logs.push(logMessage(level, masker.mask(text)));
    const takeLogs = (): AirbyteMessage[] => logs.splice(0, logs.length);

    const instance = this.instantiate(
      resumeFrom === undefined ? params : { ...params, state: { ...resumeFrom.datasource_state } },
      (messages) => log('INFO', format(...messages)),
    );
    let reported: SourceStateEvent[] = [];
    instance.on('source-state', (event) => {
      if (typeof event?.stateId !== 'string' || typeof event.state !== 'object' || event.state === null) {
        throw new StateContractError('state(stateId, state) needs a string id and an object state');
      }
      reported.push(event);
    });

    let merged: Record<string, unknown> = { ...(resumeFrom?.datasource_state ?? {}) };
    let sequence = newest?.sequence ?? 0;
    const defaultStream = this.defaultStream(params);
    const strict = (this.options.stateContract ?? 'strict') === 'strict';
    const running = new Set<string>();
    const sinceState = new Map<string, number>(names.map((name) => [name, 0]));
    const skipped = new Map<string, number>();
    const stateMessages = (complete: boolean): AirbyteMessage[] => {
      sequence += 1;
      const streamState: BridgeStreamState = complete
        ? { datasource_state: merged, sequence, complete: true }
        : { datasource_state: merged, sequence };
      return names.map((name) => {
        const count = sinceState.get(name) ?? 0;
        sinceState.set(name, 0);
        return streamStateMessage({ name }, streamState as unknown as JsonObject, count);
      });
    };

    yield names.map((name) => streamStatusTrace({ name }, 'STARTED'));
    if (resumeFrom !== undefined) log('INFO', `resuming from checkpoint ${resumeFrom.sequence}`);
    try {
      for (;;) {
        reported = [];
        const batch = await this.readWithRetries(instance, () => (reported = []), log);
        if (batch === null || batch === undefined) break;
        if (!Array.isArray(batch)) {
          throw new StateContractError('read() must return an array of records, or null at the end');
        }
        const used = checkStateContract(batch, reported, strict);
        const messages: AirbyteMessage[] = takeLogs();
        const emittedAt = Date.now();
        for (const record of batch) {
          const table = typeof record.__table === 'string' ? record.__table : defaultStream;
          const count = sinceState.get(table);
          if (count === undefined) {
            skipped.set(table, (skipped.get(table) ?? 0) + 1);
            continue;
          }
          if (!running.has(table)) {
            running.add(table);
            messages.push(streamStatusTrace({ name: table }, 'RUNNING'));
          }
          sinceState.set(table, count + 1);
          messages.push({
            type: 'RECORD',
            record: { stream: table, data: recordData(record), emitted_at: emittedAt },
          });
        }
        let moved = false;
        for (const event of reported) {
          if (!used.has(event.stateId)) continue;
          merged = { ...merged, ...event.state };
          moved = true;
        }
        if (moved) messages.push(...stateMessages(false));
        if (messages.length > 0) yield messages;
      }
      const closing: AirbyteMessage[] = takeLogs();
      for (const [table, count] of skipped) {
        closing.push(
          logMessage(
            'INFO',
            masker.mask(`skipped ${count} records of table "${table}", which is not in the catalog`),
          ),
        );
      }
      if (syncMode === 'full_refresh') closing.push(...stateMessages(true));
      closing.push(...names.map((name) => streamStatusTrace({ name }, 'COMPLETE')));
      yield closing;
    } catch (error) {
      yield [
        ...takeLogs(),
        ...names.map((name) => streamStatusTrace({ name }, 'INCOMPLETE')),
        traceFor(error, masker),
      ];
      throw new SyncFailedError(names);
    } finally {
      await closeQuietly(instance, (text) => log('WARN', text));
    }
  }

  private async readWithRetries(
    instance: DataSource,
    beforeAttempt: () => void,
    log: (level: 'INFO' | 'WARN', text: string) => void,
  ): Promise<readonly DataRecord[] | null | undefined> {
    const maxAttempts = this.options.maxReadAttempts ?? 4;
    const policy = {
      ...DEFAULT_RETRY_POLICY,
      baseDelayMs: this.options.retryBaseDelayMs ?? 1_000,
      maxDelayMs: this.options.maxRetryDelayMs ?? 30_000,
    };
    for (let attempt = 1; ; attempt += 1) {
      beforeAttempt();
      try {
        return await instance.read(this.options.batchSize ?? DEFAULT_BATCH_SIZE);
      } catch (error) {
        if (!isRetryableError(error) || attempt >= maxAttempts)
          throw new ReadAttemptsExhausted(attempt, error);
        const delayMs = backoffDelayMs(attempt - 1, policy);
        log(
          'WARN',
          `read failed (attempt ${attempt}/${maxAttempts}), retrying in ${delayMs} ms: ${describe(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async declaredStreams(params: SourceParams): Promise<readonly DeclaredStream[]> {
    const streams = this.options.streams;
    if (typeof streams !== 'function') return streams ?? [];
    return checkDeclaredStreams(await streams(params));
  }

  private async sample(params: SourceParams): Promise<Map<string, DataRecord[]>> {
    const sampleSize = this.options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
    const defaultStream = this.defaultStream(params);
    const byTable = new Map<string, DataRecord[]>();
    const instance = this.instantiate(params, () => {});
    let seen = 0;
    try {
      while (seen < sampleSize) {
        const batch = await instance.read(
          Math.min(this.options.batchSize ?? DEFAULT_BATCH_SIZE, sampleSize - seen),
        );
        if (batch === null || batch === undefined || !Array.isArray(batch)) break;
        for (const record of batch) {
          if (seen >= sampleSize) break;
          const table = typeof record?.__table === 'string' ? record.__table : defaultStream;
          const records = byTable.get(table) ?? [];
          records.push(record);
          byTable.set(table, records);
          seen += 1;
        }
      }
    } finally {
      await closeQuietly(instance);
    }
    return byTable;
  }

  private params(config: JsonObject): SourceParams {
    try {
      return validateParams(this.module.CONFIG, config as Record<string, unknown>);
    } catch (error) {
      if (!IncorrectParamError.isInstance(error)) throw error;
      // The Airbyte side's own convention: a config the user must fix is a `config_error`.
      throw new TracedError(error.message.replace(/^\[[A-Z_]+\] /, ''), {
        failureType: 'config_error',
        cause: error,
      });
    }
  }

  private instantiate(params: SourceParams, logger: (messages: readonly unknown[]) => void): DataSource {
    return new this.module.Stream({ ...params }, { ...this.options.sourceOptions, logger });
  }

  private defaultStream(params: SourceParams): string {
    if (this.options.defaultStream !== undefined) return this.options.defaultStream;
    return typeof params.destination === 'string' && params.destination !== '' ? params.destination : 'data';
  }

  private masker(params: SourceParams): TextMasker {
    return createSecretMasker(this.spec().connectionSpecification, params);
  }
}

/**
 * Serves a Panoply-style DataSource module (`{ Stream, CONFIG }`) as an Airbyte-protocol `Source`:
 *
 * ```ts
 * import { launchSourceCli } from '@sdk/stream-cdk';
 * import { dataSourceAsSource } from '@sdk/datasource-bridge';
 * import * as orders from './orders-source';
 *
 * launchSourceCli(dataSourceAsSource(orders, { streams: [{ name: 'orders', primaryKey: [['id']] }] }));
 * ```
 *
 * @throws ModuleContractError (from `@sdk/datasource`) when the module lacks `Stream` or `CONFIG`;
 * BridgeError `BRIDGE_CONFIG` for invalid options.
 */
export function dataSourceAsSource(
  module: unknown,
  options: DataSourceAsSourceOptions = {},
): DataSourceAsSource {
  return new DataSourceAsSource(module, options);
}

function checkDeclaredStreams(streams: readonly DeclaredStream[]): readonly DeclaredStream[] {
  const names = new Set<string>();
  for (const stream of streams) {
    if (typeof stream?.name !== 'string' || stream.name === '' || names.has(stream.name)) {
      throw new BridgeError('BRIDGE_CONFIG', 'every declared stream needs a unique, non-empty name');
    }
    names.add(stream.name);
  }
  return streams;
}

/** The last read attempt failed; keeps how many were made for the ERROR trace. */
class ReadAttemptsExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly failure: unknown,
  ) {
    super(describe(failure));
  }
}

function validateCatalog(catalog: unknown): { names: string[]; syncMode: SyncMode } {
  const streams = (catalog as ConfiguredAirbyteCatalog | null)?.streams;
  if (!Array.isArray(streams) || streams.length === 0) {
    throw new CatalogError('configured catalog must be an object with a non-empty "streams" array');
  }
  const names: string[] = [];
  const modes = new Set<SyncMode>();
  streams.forEach((configured, index) => {
    const name = configured?.stream?.name;
    if (typeof name !== 'string' || name === '')
      throw new CatalogError(`configured stream ${index} has no stream.name`);
    if (configured.stream.namespace) {
      throw new CatalogError(`configured stream "${name}" has a namespace; a DataSource's tables have none`);
    }
    if (configured.sync_mode !== 'full_refresh' && configured.sync_mode !== 'incremental') {
      throw new CatalogError(
        `configured stream "${name}" has sync_mode ${JSON.stringify(configured.sync_mode)}`,
      );
    }
    if (names.includes(name)) throw new CatalogError(`configured stream "${name}" is listed twice`);
    names.push(name);
    modes.add(configured.sync_mode);
  });
  if (modes.size > 1) {
    throw new CatalogError(
      'the catalog mixes full_refresh and incremental streams, but a DataSource keeps one state for all its tables: configure every stream with the same sync mode',
    );
  }
  return { names, syncMode: [...modes][0] as SyncMode };
}

/** The runner's `__state` contract, plus: a batch without records still moves the state it reported. */
function checkStateContract(
  batch: readonly DataRecord[],
  reported: readonly SourceStateEvent[],
  strict: boolean,
): Set<string> {
  const used = stateIdsOfBatch(batch, reported, strict);
  if (batch.length === 0) for (const event of reported) used.add(event.stateId);
  return used;
}

function recordData(record: DataRecord): JsonObject {
  const data: Record<string, unknown> = {};
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    if (key === '__state' || key === '__table') continue;
    let value = record[key];
    // The hot path: most values are strings, finite numbers, booleans or null, and need no walk.
    if (
      typeof value === 'object'
        ? value !== null
        : typeof value === 'number'
          ? !Number.isFinite(value)
          : value === undefined
    ) {
      if (value === undefined) continue;
      value = toJsonValue(value);
    }
    if (key === '__proto__') defineValue(data, key, value);
    else data[key] = value;
  }
  return data as JsonObject;
}

function traceFor(error: unknown, masker: TextMasker): AirbyteMessage {
  const attempts = error instanceof ReadAttemptsExhausted ? error.attempts : 1;
  const failure = error instanceof ReadAttemptsExhausted ? error.failure : error;
  const message = masker.mask(describe(failure));
  const stackTrace =
    failure instanceof Error && failure.stack !== undefined ? masker.mask(failure.stack) : undefined;
  return errorTrace(message, {
    failureType: failureTypeOf(failure, attempts),
    internalMessage: attempts > 1 ? `read failed after ${attempts} attempts: ${message}` : message,
    ...(stackTrace === undefined ? {} : { stackTrace }),
  });
}

/** Parameters and tokens are the user's to fix; a retryable error that outlasted its retries is transient. */
function failureTypeOf(error: unknown, attempts: number): FailureType {
  if (
    IncorrectParamError.isInstance(error) ||
    ConfigError.isInstance(error) ||
    TokenValidationError.isInstance(error)
  ) {
    return 'config_error';
  }
  if (DatasourceError.isInstance(error) && !error.retryable) return 'system_error';
  if (attempts > 1 && isRetryableError(error)) return 'transient_error';
  return 'system_error';
}

async function closeQuietly(instance: DataSource, warn?: (text: string) => void): Promise<void> {
  try {
    await instance.close?.();
  } catch (error) {
    warn?.(`close() failed: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
