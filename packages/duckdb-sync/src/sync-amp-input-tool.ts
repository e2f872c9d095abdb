import type { AirbyteMessage, ConfiguredAirbyteCatalog, TextMasker } from '@sdk/stream-cdk';
import { createSecretMasker } from '@sdk/stream-cdk';
import type { PluginConnection, PluginMessage, PluginOutput } from '@sdk/transport-grpc';
import type { Schema } from 'apache-arrow';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { SourceFailedError } from './errors/source-failed-error';
import { GLOBAL_STATE_KEY, messageOf, openDatabase, stateFromJson } from './internal/sync-store';
import { type SyncMessagesOptions, type SyncResult, syncMessages } from './sync-messages';
import { STATE_TABLE } from './sync-tables';

/** Options of {@link syncAmpInputTool}. Give `command` or `address`. */
export interface SyncAmpInputToolOptions
  extends Pick<
    SyncMessagesOptions,
    'dbPath' | 'onProgress' | 'onLog' | 'onStart' | 'maxBufferedRecords' | 'progressIntervalMs' | 'signal'
  > {
  /**
   * The input tool as a command that serves `sdk.SdkToolV2` and prints `ListenPort: <port>` (a
   * `servePluginProcess` main, an AMP SDK plugin): started with a random auth token, stopped after the
   * sync (SIGTERM, then SIGKILL after 5 s).
   */
  readonly command?: readonly string[];
  /** Or the `host:port` of an input tool already running. */
  readonly address?: string;
  /** The token the running tool at `address` expects. Defaults to none. */
  readonly authToken?: string;
  /**
   * The tool configuration XML. Its `<State>` element is the tool's state: the sync replaces it with
   * the one stored in the file (adding `<State>[]</State>` on a first sync when there is none), and
   * stores the one the tool saves at the end of a successful run. `<Secret>` values are masked.
   */
  readonly configXml: string;
  /** The tool's outgoing anchors to declare: one table each, named after the anchor. */
  readonly anchors: readonly string[];
  /**
   * Primary key columns of an anchor's table: its rows are deduplicated on them, the newest winning.
   * Anchors without one are appended. Defaults to none.
   */
  readonly primaryKeys?: Readonly<Record<string, readonly string[]>>;
  /** Working directory of the command. Defaults to this process's. */
  readonly cwd?: string;
  /** Environment of the command. Defaults to this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each stderr line of the command, masked. Defaults to none. */
  readonly onStderr?: (line: string) => void;
  /** Called with the masker of the configuration's secrets (for a CLI's own lines). Defaults to none. */
  readonly onMasker?: (masker: TextMasker) => void;
  /** How long the command has to print its port, in milliseconds. Defaults to 30,000. */
  readonly startTimeoutMs?: number;
}

/**
 * gRPC and Arrow, loaded on the first input tool sync: they add about half a second to the start of
 * every `sdk-duckdb-sync` run, which Airbyte and Flow syncs do not need. `require` (not `import()`) keeps
 * the CommonJS builds of transport-grpc and apache-arrow, the ones the rest of this package uses.
 */
function toolModules() {
  return {
    transport: require('@sdk/transport-grpc') as typeof import('@sdk/transport-grpc'),
    arrow: require('./internal/arrow-records') as typeof import('./internal/arrow-records'),
    config: require('./internal/tool-config-state') as typeof import('./internal/tool-config-state'),
  };
}

const LOG_LEVELS: Readonly<Partial<Record<PluginMessage['kind'], string>>> = {
  info: 'INFO',
  warning: 'WARN',
  error: 'ERROR',
};

/**
 * Syncs an AMP-style input tool into a DuckDB file, driving it as an engine does through
 * `@sdk/transport-grpc`'s engine client: one run with the declared outgoing anchors, each anchor's
 * Arrow record batches written straight into its own table, typed from the anchor's Arrow schema (the
 * schema the tool pushes as metadata, else that of its first table). The tool's state is the
 * configuration's `<State>`, as `@sdk/amp-input-tool` keeps it: sent from the file, and the one the tool
 * saves at the end of a successful run committed with that run's rows in one transaction, so the next
 * sync continues from it. A failed or killed run commits nothing (the tool saves its state only on
 * success): the tables stay as the last successful run left them, and the next sync starts from its
 * state. Fails with `SourceFailedError` (`SYNC_SOURCE_FAILED`) when the tool fails or exits.
 */
export async function syncAmpInputTool(options: SyncAmpInputToolOptions): Promise<SyncResult> {
  const hasCommand = options.command !== undefined && options.command.length > 0;
  if (hasCommand === (options.address !== undefined))
    throw new DuckDbSyncError('SYNC_USAGE', 'give the input tool as a command or as an address, one of them');
  if (options.anchors.length === 0)
    throw new DuckDbSyncError('SYNC_USAGE', 'name the outgoing anchors of the input tool');
  for (const anchor of Object.keys(options.primaryKeys ?? {})) {
    if (!options.anchors.includes(anchor))
      throw new DuckDbSyncError(
        'SYNC_USAGE',
        `a primary key is given for "${anchor}", which is not an anchor`,
      );
  }
  const { arrow, config } = toolModules();
  const { document, secrets } = config.readToolConfig(options.configXml, 'the tool configuration');
  const masker = secretMasker(secrets);
  options.onMasker?.(masker);
  const configXml = config.toolConfigWithState(document, await storedToolState(options.dbPath));
  const connection = await connect(options, masker);
  try {
    const run = connection.startRun({
      configXml,
      outgoingAnchors: options.anchors.map((name) => ({ name })),
      signal: options.signal,
      onMessage: (message) => {
        const level = LOG_LEVELS[message.kind];
        if (level !== undefined) options.onLog?.(level, masker.mask(message.message));
      },
    });
    // An input tool has no input: the run is complete at once, and the tool writes its outputs.
    run.complete().catch(() => undefined);
    const outputs = run.outputs[Symbol.asyncIterator]();
    const early: PluginOutput[] = [];
    let outputsEnded = false;
    const schemaOf = (anchor: string): Schema | undefined =>
      run.outgoingSchemas.get(anchor) ?? early.find((output) => output.anchorName === anchor)?.table.schema;
    // The tables are planned from the anchors' schemas: wait for every one (a tool of @sdk/amp-input-tool
    // pushes them before any data), holding what arrives meanwhile.
    try {
      while (!options.anchors.every((anchor) => schemaOf(anchor) !== undefined)) {
        const next = await outputs.next();
        if (next.done === true) {
          outputsEnded = true;
          break;
        }
        early.push(next.value);
      }
      if (outputsEnded) await run.finished;
    } catch (error) {
      throw toolFailure(error, masker);
    }
    const catalog: ConfiguredAirbyteCatalog = {
      streams: options.anchors.flatMap((anchor) => {
        const schema = schemaOf(anchor);
        if (schema === undefined) return [];
        const key = options.primaryKeys?.[anchor] ?? [];
        return [
          {
            stream: {
              name: anchor,
              json_schema: arrow.jsonSchemaOfArrowSchema(schema),
              supported_sync_modes: ['incremental'],
            },
            sync_mode: 'incremental',
            destination_sync_mode: key.length > 0 ? 'append_dedup' : 'append',
            ...(key.length > 0 ? { primary_key: key.map((column) => [column]) } : {}),
          },
        ];
      }),
    };
    return await syncMessages({
      dbPath: options.dbPath,
      catalog,
      masker,
      onProgress: options.onProgress,
      onLog: options.onLog,
      onStart: options.onStart,
      maxBufferedRecords: options.maxBufferedRecords,
      progressIntervalMs: options.progressIntervalMs,
      signal: options.signal,
      read: async function* ({ signal }) {
        try {
          for (const output of early.splice(0)) yield* recordMessages(output, arrow.recordsOfBatch);
          while (!outputsEnded) {
            const next = await outputs.next();
            if (next.done === true) break;
            yield* recordMessages(next.value, arrow.recordsOfBatch);
          }
          const result = await run.finished;
          const saved = result.messages.findLast((message) => message.kind === 'config-xml');
          if (saved === undefined) return;
          const state = config.stateOfToolConfig(
            config.readToolConfig(saved.message, 'the configuration the tool saved').document,
          );
          if (state === undefined) return;
          // One checkpoint covering the whole run, as the tool's state does.
          yield {
            type: 'STATE',
            state: { type: 'GLOBAL', global: { shared_state: { tool_state: state }, stream_states: [] } },
          } as unknown as AirbyteMessage;
        } catch (error) {
          // Stopped: the run was cancelled on purpose, and its rows are dropped with it.
          if (signal.aborted) return;
          throw toolFailure(error, masker);
        }
      },
    });
  } finally {
    await connection.close();
  }
}

/** Each record batch of an output as one array of RECORD messages of its anchor's stream. */
function* recordMessages(
  output: PluginOutput,
  recordsOfBatch: typeof import('./internal/arrow-records').recordsOfBatch,
): Generator<AirbyteMessage[]> {
  for (const batch of output.table.batches) {
    const emittedAt = Date.now();
    yield recordsOfBatch(batch).map(
      (data) =>
        ({
          type: 'RECORD',
          record: { stream: output.anchorName, data, emitted_at: emittedAt },
        }) as AirbyteMessage,
    );
  }
}

/** Masks the configuration's `<Secret>` values, as the Airbyte CDK masks secrets. */
function secretMasker(secrets: readonly string[]): TextMasker {
  const names = secrets.map((_, index) => `secret${index}`);
  return createSecretMasker(
    { type: 'object', properties: Object.fromEntries(names.map((name) => [name, { airbyte_secret: true }])) },
    Object.fromEntries(names.map((name, index) => [name, secrets[index]])),
  );
}

/**
 * The tool state (`<State>` text) stored in the file by the last successful sync, or undefined. Opening
 * the file here also fails early, before the tool is started, when another process holds it.
 */
async function storedToolState(dbPath: string): Promise<string | undefined> {
  const { instance, connection } = await openDatabase(dbPath);
  try {
    const tables = await connection.runAndReadAll(
      'SELECT 1 FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()',
      [STATE_TABLE],
    );
    if (tables.getRows().length === 0) return undefined;
    const rows = (
      await connection.runAndReadAll(`SELECT state::VARCHAR FROM ${STATE_TABLE} WHERE stream_key = ?`, [
        GLOBAL_STATE_KEY,
      ])
    ).getRows();
    const text = rows[0]?.[0];
    if (typeof text !== 'string') return undefined;
    const state = (stateFromJson(text) as { global?: { shared_state?: { tool_state?: unknown } } }).global
      ?.shared_state?.tool_state;
    return typeof state === 'string' ? state : undefined;
  } catch (error) {
    throw new DuckDbSyncError(
      'SYNC_DATABASE',
      `cannot read the stored state of ${dbPath}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function connect(options: SyncAmpInputToolOptions, masker: TextMasker): Promise<PluginConnection> {
  const { connectToPlugin, launchPlugin } = toolModules().transport;
  if (options.address !== undefined)
    return connectToPlugin({ address: options.address, authToken: options.authToken });
  const [program, ...args] = options.command as readonly string[];
  try {
    return await launchPlugin({
      command: program as string,
      args,
      cwd: options.cwd,
      env: options.env,
      startTimeoutMs: options.startTimeoutMs,
      onStderr: (line) => options.onStderr?.(masker.mask(line)),
    });
  } catch (error) {
    throw new SourceFailedError(masker.mask(`cannot start the input tool: ${messageOf(error)}`), {
      cause: error,
    });
  }
}

function toolFailure(error: unknown, masker: TextMasker): Error {
  if (DuckDbSyncError.isInstance(error)) return error;
  return new SourceFailedError(masker.mask(`the input tool failed: ${messageOf(error)}`), { cause: error });
}
