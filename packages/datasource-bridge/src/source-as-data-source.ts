import {
  type DataRecord,
  DataSource,
  type DataSourceConfig,
  type DataSourceModule,
  type DataSourceOptions,
  type ParamDefinition,
  type ReadResult,
  type SourceParams,
} from '@sdk/datasource';
import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type AirbyteStream,
  type ConfiguredAirbyteCatalog,
  type ConnectorSpecification,
  type JsonObject,
  type ReadOptions,
  type Source,
  SyncFailedError,
  validateConfig,
} from '@sdk/stream-cdk';
import { connectionSpecificationToParams } from './connection-specification-to-params';
import { BridgeError } from './errors/bridge-error';
import { SourceFailedError, type SourceFailureType } from './errors/source-failed-error';

/** Options of {@link sourceAsDataSourceModule}. */
export interface SourceAsDataSourceOptions {
  /** `CONFIG.title`. Defaults to the spec's `connectionSpecification.title`, then the source's class name. */
  title?: string;
  /** Streams to read. Defaults to every stream `discover` returns. */
  streams?: readonly string[];
  /**
   * The Panoply table of a stream's records (`__table`). Defaults to the stream name, prefixed with
   * `namespace_` when the stream has a namespace.
   */
  tableName?: (stream: { name: string; namespace?: string }) => string;
  /**
   * Read options for the source. Defaults to the source's own, except `ignoreIncomingCompletionState`,
   * which defaults to `true`: the runner keeps state across runs, so a full refresh that finished starts
   * over on the next run instead of reading nothing.
   */
  readOptions?: ReadOptions;
}

/** The key of the runner's state under which the source's per-stream states are kept. */
export const AIRBYTE_STATE_KEY = 'airbyte_state';

/**
 * An Airbyte-protocol `Source` as a Panoply-style DataSource module (`{ Stream, CONFIG }`), for
 * `runDataSource` and `sdk-datasource-run`:
 *
 * - `CONFIG.params` come from the spec's top-level properties (see `connectionSpecificationToParams`);
 *   the parameters are validated against the spec before anything is read.
 * - Every stream is read `incremental` when it supports it, else `full_refresh`. Its records land in
 *   the table named by `tableName` (the stream name by default).
 * - State: the runner's state holds the source's per-stream states as the platform passes them, under
 *   `airbyte_state` (an array of STREAM states). A batch returned by `read(n)` ends at `n` records; its
 *   records carry the id of a state that holds every STATE the source emitted up to the batch's last
 *   record, so the runner saves exactly what the delivered records cover. After a kill, the next run
 *   resumes from the last saved state and repeats at most the records that followed the last STATE.
 * - LOG messages go to the DataSource's `log`; stream status and record counts to `progress`.
 * - A failed stream fails the run with {@link SourceFailedError} carrying the source's `failure_type`:
 *   retryable for `transient_error` only. The state saved up to then is kept.
 *
 * The spec must be available synchronously (`spec()` returning an object, as most sources do); for a
 * source whose `spec()` is async, use {@link createSourceDataSourceModule}.
 *
 * @throws BridgeError `BRIDGE_ASYNC_SPEC` when `spec()` returns a Promise.
 */
export function sourceAsDataSourceModule(
  source: Source<JsonObject>,
  options: SourceAsDataSourceOptions = {},
): DataSourceModule {
  const spec = source.spec();
  if (typeof (spec as Promise<unknown>)?.then === 'function') {
    throw new BridgeError(
      'BRIDGE_ASYNC_SPEC',
      `${source.constructor.name}.spec() is async: use await createSourceDataSourceModule(source) instead`,
    );
  }
  return buildModule(source, spec as ConnectorSpecification, options);
}

/** {@link sourceAsDataSourceModule} for any source, whether its `spec()` is sync or async. */
export async function createSourceDataSourceModule(
  source: Source<JsonObject>,
  options: SourceAsDataSourceOptions = {},
): Promise<DataSourceModule> {
  return buildModule(source, await source.spec(), options);
}

function buildModule(
  source: Source<JsonObject>,
  spec: ConnectorSpecification,
  options: SourceAsDataSourceOptions,
): DataSourceModule {
  const connectionSpecification = spec.connectionSpecification as Record<string, unknown>;
  const params = connectionSpecificationToParams(connectionSpecification);
  const title =
    options.title ??
    (typeof connectionSpecification.title === 'string'
      ? connectionSpecification.title
      : source.constructor.name);
  const CONFIG: DataSourceConfig = { title, params };
  const jsonParams = new Set(params.filter((param) => param.type === 'json').map((param) => param.name));

  const tables = tableNames(options);

  class SourceDataSource extends DataSource {
    #messages: AsyncIterator<AirbyteMessage[]> | undefined;
    #pending: readonly AirbyteMessage[] = [];
    /** Next message of `#pending` to hand out (an index, not `shift()`: batches hold hundreds). */
    #pendingIndex = 0;
    #states = new Map<string, AirbyteStateMessage['state']>();
    #sequence = 0;
    #recordCount = 0;
    #done = false;

    async read(batchSize = 1_000): Promise<ReadResult> {
      if (this.#done) return null;
      const statesBefore = new Map(this.#states);
      try {
        return await this.readBatch(batchSize);
      } catch (error) {
        // The runner may call read() again (a retryable failure): start the source over from the states
        // that delivered batches cover, never from a STATE whose records were not returned.
        this.#states = statesBefore;
        await this.#messages?.return?.(undefined)?.catch(() => {});
        this.#messages = undefined;
        this.#pending = [];
        this.#pendingIndex = 0;
        throw error;
      }
    }

    private async readBatch(batchSize: number): Promise<ReadResult> {
      this.#messages ??= await this.start();
      const records: DataRecord[] = [];
      let covered = false;
      const take = (message: AirbyteMessage): void => {
        if (message.type === 'RECORD') {
          const { stream, namespace, data } = message.record;
          const record: DataRecord = { ...data };
          record.__table = tables.of(stream, namespace);
          records.push(record);
        } else if (message.type === 'STATE') {
          this.remember(message.state);
          covered = true;
        } else {
          this.relay(message);
        }
      };
      while (records.length < batchSize) {
        // Messages already at hand are taken without an await each (a batch holds hundreds).
        const message =
          this.#pendingIndex < this.#pending.length ? this.#pending[this.#pendingIndex++] : await this.next();
        if (message === undefined) {
          this.#done = true;
          break;
        }
        take(message);
      }
      // A full batch still takes the STATEs (and logs) that follow its last record, up to the next record:
      // they cover the whole batch, so a kill right after it repeats nothing, and the final states of a
      // sync (a full refresh's completion) always travel with the last records.
      while (!this.#done) {
        const message = await this.next();
        if (message === undefined) this.#done = true;
        else if (message.type === 'RECORD') {
          this.#pendingIndex -= 1; // the record just taken opens the next batch
          break;
        } else take(message);
      }
      if (records.length === 0 && !covered) return null;
      this.#sequence += 1;
      const stateId = `airbyte-${this.#sequence}`;
      // Every record carries the id; the runner saves the state once the batch is durable. Records after
      // the batch's last STATE are not covered by it and are read again after a kill: at least once.
      this.state(stateId, { [AIRBYTE_STATE_KEY]: [...this.#states.values()] });
      for (const record of records) record.__state = stateId;
      this.#recordCount += records.length;
      return records;
    }

    override async close(): Promise<void> {
      await this.#messages?.return?.(undefined);
    }

    private async start(): Promise<AsyncIterator<AirbyteMessage[]>> {
      const config = this.config();
      try {
        validateConfig(spec, config);
      } catch (error) {
        throw new BridgeError('BRIDGE_CONFIG', error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      const saved = (this.source.state as Record<string, unknown> | undefined)?.[AIRBYTE_STATE_KEY];
      if (saved !== undefined && !Array.isArray(saved)) {
        throw new BridgeError(
          'BRIDGE_STATE',
          `the saved state's "${AIRBYTE_STATE_KEY}" must be an array of STREAM states`,
        );
      }
      for (const entry of (saved ?? []) as AirbyteStateMessage['state'][]) this.remember(entry);
      let catalog: ConfiguredAirbyteCatalog;
      try {
        catalog = await this.catalog(config);
      } catch (error) {
        throw BridgeError.isInstance(error) ? error : this.failure(error);
      }
      const readOptions: ReadOptions = { ignoreIncomingCompletionState: true, ...options.readOptions };
      const incoming = this.#states.size > 0 ? [...this.#states.values()] : undefined;
      return source.readBatches(config, catalog, incoming, readOptions)[Symbol.asyncIterator]();
    }

    private config(): JsonObject {
      const config: Record<string, unknown> = {};
      for (const param of params) {
        let value = this.source[param.name];
        if (value === undefined) continue;
        if (jsonParams.has(param.name) && typeof value === 'string') value = parseJsonParam(param, value);
        config[param.name] = value;
      }
      return config as JsonObject;
    }

    private async catalog(config: JsonObject): Promise<ConfiguredAirbyteCatalog> {
      const discovered = (await source.discover(config)).streams;
      const wanted = options.streams;
      const selected =
        wanted === undefined ? discovered : discovered.filter((stream) => wanted.includes(stream.name));
      for (const name of wanted ?? []) {
        if (!discovered.some((stream) => stream.name === name)) {
          throw new BridgeError(
            'BRIDGE_CONFIG',
            `the source has no stream "${name}" (it has: ${discovered.map((stream) => stream.name).join(', ')})`,
          );
        }
      }
      return { streams: selected.map(configure) };
    }

    private async next(): Promise<AirbyteMessage | undefined> {
      while (this.#pendingIndex >= this.#pending.length) {
        let step: IteratorResult<AirbyteMessage[]>;
        try {
          step = await (this.#messages as AsyncIterator<AirbyteMessage[]>).next();
        } catch (error) {
          throw this.failure(error);
        }
        if (step.done === true) return undefined;
        this.#pending = step.value;
        this.#pendingIndex = 0;
      }
      const message = this.#pending[this.#pendingIndex];
      this.#pendingIndex += 1;
      return message;
    }

    private remember(state: AirbyteStateMessage['state']): void {
      const descriptor = state.stream?.stream_descriptor;
      if (state.type !== 'STREAM' || descriptor === undefined) {
        throw new BridgeError(
          'BRIDGE_STATE',
          `the source emitted a ${state.type ?? 'LEGACY'} state; the bridge carries STREAM states only`,
        );
      }
      // Saved as the platform keeps it: the payload without this run's record counts.
      const { sourceStats: _stats, ...payload } = state;
      this.#states.set(
        descriptor.namespace ? `${descriptor.namespace}\u0000${descriptor.name}` : descriptor.name,
        payload,
      );
    }

    #lastError: { message: string; failureType: SourceFailureType; stream?: string } | undefined;

    private relay(message: AirbyteMessage): void {
      if (message.type === 'LOG') {
        this.log(`[${message.log.level}] ${message.log.message}`);
      } else if (message.type === 'TRACE') {
        const trace = message.trace;
        if (trace.type === 'ERROR') {
          const stream = trace.error.stream_descriptor?.name;
          this.#lastError = {
            message: trace.error.message,
            failureType: (trace.error.failure_type ?? 'system_error') as SourceFailureType,
            ...(stream === undefined ? {} : { stream }),
          };
          this.log(`[ERROR] ${trace.error.message}`);
        } else if (trace.type === 'STREAM_STATUS') {
          const status = trace.stream_status;
          this.progress(this.#recordCount, null, `${status.stream_descriptor.name}: ${status.status}`);
        }
      }
    }

    private failure(error: unknown): Error {
      const last = this.#lastError;
      if (SyncFailedError.isInstance(error) && last !== undefined) {
        return new SourceFailedError(last.message, {
          failureType: last.failureType,
          ...(last.stream === undefined ? {} : { stream: last.stream }),
          cause: error,
        });
      }
      const failureType = (error as { failureType?: SourceFailureType } | null)?.failureType;
      return new SourceFailedError(error instanceof Error ? error.message : String(error), {
        ...(failureType === undefined ? {} : { failureType }),
        cause: error,
      });
    }
  }

  const Stream = SourceDataSource as unknown as new (
    source: SourceParams,
    options?: DataSourceOptions,
  ) => DataSource;
  return { Stream, CONFIG };
}

function configure(stream: AirbyteStream): ConfiguredAirbyteCatalog['streams'][number] {
  const incremental = stream.supported_sync_modes.includes('incremental');
  return {
    stream,
    sync_mode: incremental ? 'incremental' : 'full_refresh',
    destination_sync_mode: 'append',
    ...(stream.default_cursor_field?.length ? { cursor_field: stream.default_cursor_field } : {}),
    ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
  };
}

/** The table of each stream, worked out once per stream rather than once per record. */
function tableNames(options: SourceAsDataSourceOptions): {
  of(name: string, namespace: string | undefined): string;
} {
  const known = new Map<string, string>();
  return {
    of(name, namespace) {
      const key = namespace ? `${namespace}\u0000${name}` : name;
      let table = known.get(key);
      if (table === undefined) {
        const descriptor = namespace ? { name, namespace } : { name };
        table =
          options.tableName !== undefined
            ? options.tableName(descriptor)
            : namespace
              ? `${namespace}_${name}`
              : name;
        known.set(key, table);
      }
      return table;
    },
  };
}

function parseJsonParam(param: ParamDefinition, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError(
      'BRIDGE_CONFIG',
      `parameter ${param.name} must be JSON text (an object, array or value)`,
    );
  }
}
