import { isFullRefreshCompleteState, isNoCursorState } from '../checkpoint/sentinel-states';
import type {
  AirbyteErrorTrace,
  AirbyteMessage,
  AirbyteStateMessage,
  AirbyteStreamStatus,
  ConfiguredAirbyteCatalog,
  JsonObject,
} from '../protocol/airbyte-protocol';
import type { ReadOptions, Source } from '../source/source';
import { ConnectorStateManager, type IncomingState } from '../state/connector-state-manager';

/** Arguments of {@link readSource}. */
export interface ReadSourceArgs<Config extends JsonObject> {
  source: Source<Config>;
  config: Config;
  catalog: ConfiguredAirbyteCatalog;
  /** Incoming state (as a `--state` file holds it). Default: none. */
  state?: IncomingState;
  /** Read options (debug, duplicate-state compatibility, ...). */
  options?: ReadOptions;
}

/** Everything a read produced, with typed accessors. */
export interface ReadSourceResult {
  /** Every message, in order. */
  messages: AirbyteMessage[];
  /** The error `read` ended with (e.g. `SyncFailedError`), or undefined when it succeeded. */
  error: unknown;
  /** Record data, optionally of one stream. */
  records(stream?: string): JsonObject[];
  /** STATE messages, optionally of one stream. */
  stateMessages(stream?: string): AirbyteStateMessage[];
  /** State blobs (`stream_state`), optionally of one stream. */
  states(stream?: string): JsonObject[];
  /** Stream statuses of one stream, in order. */
  statuses(stream: string): AirbyteStreamStatus[];
  /** ERROR traces, in order. */
  errors(): AirbyteErrorTrace[];
  /** The last STATE of every stream, as the `--state` input of the next run. */
  stateForNextRun(): AirbyteStateMessage['state'][];
}

/**
 * Runs `source.read` to the end and collects its messages. Never throws for a failed read: the error
 * is in `result.error`, so tests can assert on the messages before it.
 */
export async function readSource<Config extends JsonObject>(
  args: ReadSourceArgs<Config>,
): Promise<ReadSourceResult> {
  const messages: AirbyteMessage[] = [];
  let error: unknown;
  try {
    for await (const message of args.source.read(args.config, args.catalog, args.state, args.options)) {
      messages.push(message);
    }
  } catch (caught) {
    error = caught;
  }
  return createReadSourceResult(messages, error);
}

/** Wraps already collected messages (for example parsed from CLI output) in a {@link ReadSourceResult}. */
export function createReadSourceResult(messages: AirbyteMessage[], error?: unknown): ReadSourceResult {
  const stateMessages = (stream?: string): AirbyteStateMessage[] =>
    messages.filter(
      (message): message is AirbyteStateMessage =>
        message.type === 'STATE' &&
        (stream === undefined || message.state.stream?.stream_descriptor.name === stream),
    );
  return {
    messages,
    error,
    records: (stream) =>
      messages.flatMap((message) =>
        message.type === 'RECORD' && (stream === undefined || message.record.stream === stream)
          ? [message.record.data]
          : [],
      ),
    stateMessages,
    states: (stream) => stateMessages(stream).map((message) => message.state.stream?.stream_state ?? {}),
    statuses: (stream) =>
      messages.flatMap((message) =>
        message.type === 'TRACE' &&
        message.trace.type === 'STREAM_STATUS' &&
        message.trace.stream_status.stream_descriptor.name === stream
          ? [message.trace.stream_status.status]
          : [],
      ),
    errors: () =>
      messages.flatMap((message) =>
        message.type === 'TRACE' && message.trace.type === 'ERROR' ? [message.trace.error] : [],
      ),
    stateForNextRun: () => latestStatePerStream(messages),
  };
}

/** The last STATE payload of every stream in `messages`, in first-seen order: the next run's `--state`. */
export function latestStatePerStream(messages: Iterable<AirbyteMessage>): AirbyteStateMessage['state'][] {
  const latest = new Map<string, AirbyteStateMessage['state']>();
  for (const message of messages) {
    if (message.type !== 'STATE' || message.state.stream === undefined) continue;
    const { name, namespace } = message.state.stream.stream_descriptor;
    const { sourceStats: _stats, ...payload } = message.state;
    latest.set(`${namespace ?? ''}\u0000${name}`, payload);
  }
  return [...latest.values()];
}

/** Options of {@link mergeStateForNextRun}. */
export interface NextRunStateOptions {
  /**
   * The next run retries this one (another attempt of the same job): every state is kept, so finished
   * streams are not read again and unfinished ones resume. Default false: the next run is a new sync,
   * as the platform starts a new job, so finished full refresh states (the completion sentinel and
   * `{"__ab_no_cursor_state_message": true}`) are dropped, or a finished stream would never be read again.
   */
  retry?: boolean;
  /**
   * The configured catalog of the read. Without `retry`, the states of its `full_refresh` streams are
   * dropped too (the platform deletes them between jobs), so they are read in full next time. Default: none.
   */
  catalog?: ConfiguredAirbyteCatalog;
}

/**
 * The `--state` of the next run: `previousState` (what this run was given, if anything) with the
 * latest STATE of every stream in `messages` applied over it, as the platform keeps state between
 * runs. Streams this run did not read keep their previous state. Unless `options.retry`, finished full
 * refresh states are dropped (see {@link NextRunStateOptions}). Always STREAM payloads, in first-seen
 * order. Throws `StateParseError` for malformed state.
 */
export function mergeStateForNextRun(
  previousState: IncomingState,
  messages: Iterable<AirbyteMessage>,
  options: NextRunStateOptions = {},
): AirbyteStateMessage['state'][] {
  const manager = new ConnectorStateManager(previousState);
  let index = 0;
  for (const message of messages) {
    if (message.type === 'STATE') manager.applyStateMessage(message.state, index);
    index++;
  }
  return statesForNextRun(manager.toStateMessages(), options);
}

/** Applies {@link NextRunStateOptions} to the merged states. */
export function statesForNextRun(
  states: AirbyteStateMessage['state'][],
  options: NextRunStateOptions,
): AirbyteStateMessage['state'][] {
  if (options.retry === true) return states;
  const key = (name: string, namespace: string | null | undefined) => `${namespace ?? ''}\u0000${name}`;
  const fullRefresh = new Set(
    (options.catalog?.streams ?? [])
      .filter((configured) => configured.sync_mode === 'full_refresh')
      .map((configured) => key(configured.stream.name, configured.stream.namespace)),
  );
  return states.filter((payload) => {
    const stream = payload.stream;
    if (stream === undefined) return true;
    if (fullRefresh.has(key(stream.stream_descriptor.name, stream.stream_descriptor.namespace))) return false;
    const blob = stream.stream_state;
    return !isFullRefreshCompleteState(blob) && !isNoCursorState(blob);
  });
}
