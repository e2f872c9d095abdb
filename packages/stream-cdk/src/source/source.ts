import type { ResumableFullRefreshCompletion } from '../checkpoint/resumable-full-refresh-checkpoint-reader';
import { CatalogError } from '../errors/catalog-error';
import { ReadOptionsError } from '../errors/read-options-error';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { SyncFailedError } from '../errors/sync-failed-error';
import { TracedError } from '../errors/traced-error';
import { maskMessage } from '../internal/mask-message';
import { mergeConcurrently } from '../internal/merge-concurrently';
import { QueuedLogger } from '../internal/queued-logger';
import { readStream } from '../internal/read-stream';
import { SecretMasker } from '../internal/secret-masker';
import type {
  AirbyteCatalog,
  AirbyteConnectionStatusMessage,
  AirbyteMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  ConnectorSpecification,
  JsonObject,
  StreamDescriptor,
} from '../protocol/airbyte-protocol';
import { connectionStatusMessage, errorTrace, streamStatusTrace } from '../protocol/message-factories';
import { ConnectorStateManager, type IncomingState } from '../state/connector-state-manager';
import { hasCheckpointState } from '../stream/checkpoint-mixin';
import type { SourceLogger } from '../stream/source-logger';
import type { Stream } from '../stream/stream';

/** Result of {@link Source.checkConnection}. */
export interface CheckConnectionResult {
  succeeded: boolean;
  /** Why it failed (shown to the user; secrets are masked). */
  message?: string;
}

/** Options of {@link Source.read}; each overrides the source's own default. */
export interface ReadOptions {
  /** Emit `slice:<json>` and DEBUG log lines. Default false. */
  debug?: boolean;
  /** Stop at the first failed stream instead of reading the others. Default: `source.stopSyncOnStreamFailure` (false). */
  stopSyncOnStreamFailure?: boolean;
  /** How finished resumable full refresh streams are written. Default: `source.resumableFullRefreshCompletion` (`'sentinel'`). */
  resumableFullRefreshCompletion?: ResumableFullRefreshCompletion;
  /** Read an incoming completion sentinel as "start over" (for state kept across jobs). Default false. */
  ignoreIncomingCompletionState?: boolean;
  /**
   * Reproduce upstream's consecutive identical STATE messages (e.g. the doubled final state of
   * resumable full refresh) for golden-file comparisons. Default false.
   */
  emitConsecutiveDuplicateStates?: boolean;
  /**
   * How many streams are read at the same time (an integer >= 1). Above 1, the messages of different
   * streams interleave, each stream's own messages (records, STATE, statuses) staying in order, and at
   * most one batch per running stream waits in memory. With `stopSyncOnStreamFailure`, a failure
   * starts no further stream and lets the running ones finish. Default: `source.maxConcurrentStreams` (1).
   */
  maxConcurrentStreams?: number;
}

/**
 * A source: its spec, a connection check, its streams, and `read`, which yields Airbyte messages.
 * Implement `spec()`, `checkConnection()` and `streams()`; `discover()` and `read()` follow.
 */
export abstract class Source<Config extends JsonObject = JsonObject> {
  /** The connector specification (its `connectionSpecification` validates configs). */
  abstract spec(): ConnectorSpecification | Promise<ConnectorSpecification>;

  /** Tries the config against the real system. Thrown errors count as a failed check. */
  abstract checkConnection(config: Config, logger: SourceLogger): Promise<CheckConnectionResult>;

  /** The streams this source offers for `config`. */
  abstract streams(config: Config): Stream[] | Promise<Stream[]>;

  /** Default of {@link ReadOptions.stopSyncOnStreamFailure}: false. */
  get stopSyncOnStreamFailure(): boolean {
    return false;
  }

  /** Default of {@link ReadOptions.maxConcurrentStreams}: 1 (one stream after the other). */
  get maxConcurrentStreams(): number {
    return 1;
  }

  /** Default of {@link ReadOptions.resumableFullRefreshCompletion}: `'sentinel'`. */
  get resumableFullRefreshCompletion(): ResumableFullRefreshCompletion {
    return 'sentinel';
  }

  /** A CONNECTION_STATUS message; never throws for a failing check (secrets masked in the message). */
  async check(config: Config): Promise<AirbyteConnectionStatusMessage> {
    const masker = await this.secretMasker(config);
    const logger = new QueuedLogger(masker, false);
    try {
      const result = await this.checkConnection(config, logger);
      const message = result.message === undefined ? undefined : masker.mask(result.message);
      return connectionStatusMessage(result.succeeded, message);
    } catch (error) {
      return connectionStatusMessage(false, masker.mask(describeError(error)));
    }
  }

  /** The catalog: every stream's schema, sync modes, cursor, primary key and `is_resumable`. */
  async discover(config: Config): Promise<AirbyteCatalog> {
    const streams = await this.streams(config);
    return { streams: streams.map((stream) => stream.asAirbyteStream()) };
  }

  /**
   * Reads the configured streams in catalog order. Per stream: STARTED, RUNNING before the first
   * record, records and STATE messages, COMPLETE; on failure INCOMPLETE then an ERROR trace, and the
   * next stream is read. Throws {@link SyncFailedError} at the end if any stream failed, and
   * {@link CatalogError} / `StateParseError` before reading anything if the catalog or state is bad.
   */
  async *read(
    config: Config,
    catalog: ConfiguredAirbyteCatalog,
    state?: IncomingState,
    options: ReadOptions = {},
  ): AsyncGenerator<AirbyteMessage> {
    for await (const batch of this.readBatches(config, catalog, state, options)) yield* batch;
  }

  /**
   * The messages of {@link Source.read}, in the same order, grouped in arrays (up to a few hundred,
   * ending at least at every slice end), so a fast consumer pays one await per batch, not per message.
   */
  async *readBatches(
    config: Config,
    catalog: ConfiguredAirbyteCatalog,
    state?: IncomingState,
    options: ReadOptions = {},
  ): AsyncGenerator<AirbyteMessage[]> {
    const masker = await this.secretMasker(config);
    const debug = options.debug ?? false;
    const logger = new QueuedLogger(masker, debug);
    const stateManager = new ConnectorStateManager(state);
    const configuredStreams = validateCatalog(catalog);
    const streams = await this.streams(config);
    const plan = configuredStreams.map((configured) => ({
      configured,
      stream: findStream(streams, configured),
    }));
    const stopOnFailure = options.stopSyncOnStreamFailure ?? this.stopSyncOnStreamFailure;
    const concurrency = options.maxConcurrentStreams ?? this.maxConcurrentStreams;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ReadOptionsError(`maxConcurrentStreams must be an integer >= 1, got ${String(concurrency)}`);
    }
    const completion = options.resumableFullRefreshCompletion ?? this.resumableFullRefreshCompletion;
    const failed = new Map<number, string>();
    const readOne = (index: number, configured: ConfiguredAirbyteStream, stream: Stream) =>
      async function* (): AsyncGenerator<AirbyteMessage[]> {
        const descriptor: StreamDescriptor = stream.namespace
          ? { name: stream.name, namespace: stream.namespace }
          : { name: stream.name };
        // Streams read together each drain their own log queue, so logs stay among their stream's messages.
        const streamLogger = concurrency > 1 ? new QueuedLogger(masker, debug) : logger;
        yield [streamStatusTrace(descriptor, 'STARTED')];
        try {
          const streamState = stateManager.getStreamState(stream.name, stream.namespace || undefined);
          // Assign even `{}`: the stream must not keep state from an earlier read.
          if (hasCheckpointState(stream)) stream.state = structuredClone(streamState);
          const cursorField = configured.cursor_field?.length ? configured.cursor_field : stream.cursorField;
          yield* readStream(stream, {
            syncMode: configured.sync_mode,
            cursorField: cursorField.length > 0 ? cursorField : undefined,
            streamState,
            logger: streamLogger,
            masker,
            debug,
            checkpoint: {
              stateManager,
              emitConsecutiveDuplicateStates: options.emitConsecutiveDuplicateStates ?? false,
            },
            emitRunningStatus: true,
            resumableFullRefresh: {
              completion,
              ignoreIncomingCompletion: options.ignoreIncomingCompletionState ?? false,
            },
          });
          yield [streamStatusTrace(descriptor, 'COMPLETE')];
        } catch (error) {
          yield [
            streamStatusTrace(descriptor, 'INCOMPLETE'),
            maskMessage(errorTraceFor(error, descriptor), masker),
          ];
          failed.set(index, stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name);
        }
      };
    const starts = plan.map(({ configured, stream }, index) => readOne(index, configured, stream));
    yield* mergeConcurrently(starts, concurrency, () => !(stopOnFailure && failed.size > 0));
    if (failed.size > 0) {
      // Catalog order, whatever order concurrent streams failed in.
      throw new SyncFailedError([...failed.entries()].sort(([a], [b]) => a - b).map(([, name]) => name));
    }
  }

  /** Masks the config's `airbyte_secret` values. */
  private async secretMasker(config: Config): Promise<SecretMasker> {
    const spec = await this.spec();
    return SecretMasker.fromSpec(spec.connectionSpecification, config);
  }
}

/** An ERROR trace for `error`: TracedError and CDK errors keep their failure type; others are `system_error`. */
export function errorTraceFor(error: unknown, streamDescriptor?: StreamDescriptor): AirbyteMessage {
  const stackTrace = error instanceof Error ? error.stack : undefined;
  if (TracedError.isInstance(error)) {
    return errorTrace(error.userMessage, {
      failureType: error.failureType,
      internalMessage: error.internalMessage,
      stackTrace,
      streamDescriptor,
    });
  }
  const failureType = StreamCdkError.isInstance(error) ? error.failureType : 'system_error';
  const message = describeError(error);
  return errorTrace(message, { failureType, internalMessage: message, stackTrace, streamDescriptor });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function validateCatalog(catalog: unknown): ConfiguredAirbyteStream[] {
  const streams = (catalog as ConfiguredAirbyteCatalog | null)?.streams;
  if (!Array.isArray(streams))
    throw new CatalogError('configured catalog must be an object with a "streams" array');
  streams.forEach((configured, index) => {
    const name = (configured as ConfiguredAirbyteStream | null)?.stream?.name;
    if (typeof name !== 'string') throw new CatalogError(`configured stream ${index} has no stream.name`);
    const syncMode = configured.sync_mode;
    if (syncMode !== 'full_refresh' && syncMode !== 'incremental') {
      throw new CatalogError(`configured stream "${name}" has sync_mode ${JSON.stringify(syncMode)}`);
    }
  });
  return streams;
}

function findStream(streams: Stream[], configured: ConfiguredAirbyteStream): Stream {
  const namespace = configured.stream.namespace || undefined;
  const found = streams.find(
    (stream) => stream.name === configured.stream.name && (stream.namespace || undefined) === namespace,
  );
  if (found === undefined) {
    const label = namespace ? `${namespace}.${configured.stream.name}` : configured.stream.name;
    throw new CatalogError(`The stream "${label}" in the configured catalog was not found in the source`);
  }
  return found;
}
