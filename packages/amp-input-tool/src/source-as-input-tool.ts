import { ChunkerError, jsonSchemaToArrowSchema, rowsToRecordBatch } from '@sdk/arrow-chunker';
import {
  type AirbyteMessage,
  type AirbyteStateMessage,
  type AirbyteStream,
  type ConfiguredAirbyteCatalog,
  createSecretMasker,
  type JsonObject,
  type ReadOptions,
  type Source,
  StreamCdkError,
  SyncFailedError,
  type TextMasker,
  validateConfig,
} from '@sdk/stream-cdk';
import type { PluginProvider, SdkPlugin, SdkPluginClass } from '@sdk/transport-grpc';
import { DataType, type Schema } from 'apache-arrow';
import { InputToolError } from './errors/input-tool-error';
import { readInputToolConfig, withState } from './input-tool-config';

/** Options of {@link sourceAsInputTool}. */
export interface InputToolOptions {
  /**
   * The outgoing anchor of a stream. Defaults to the anchor named like the stream; when exactly one
   * stream is read and the tool has exactly one outgoing anchor, that anchor.
   */
  anchorForStream?: (stream: string, anchors: readonly string[]) => string | undefined;
  /** Rows in one table written to an anchor (one Arrow IPC stream). Defaults to 10,000. */
  maxRowsPerTable?: number;
  /**
   * Record fields the stream's JSON Schema does not declare: `'error'` (default) fails the run, so that
   * nothing is dropped silently; `'ignore'` drops them.
   */
  extraFields?: 'error' | 'ignore';
  /** Read options for the source. Defaults to the source's own. */
  readOptions?: ReadOptions;
}

const DEFAULT_MAX_ROWS = 10_000;

/**
 * An Airbyte-protocol `Source` as an AMP-style input tool (an `SdkPluginClass` for
 * `@sdk/transport-grpc`'s `servePluginProcess` or `startPluginServer`):
 *
 * - The tool configuration XML gives the source's config, secrets the engine decrypts, the streams and an
 *   optional starting state (see `readInputToolConfig`).
 * - Each stream goes to one outgoing anchor. Its Arrow schema comes from the stream's JSON Schema through
 *   `@sdk/arrow-chunker`'s `jsonSchemaToArrowSchema` (the one route from JSON Schema to Arrow in this
 *   toolkit) and is pushed as the anchor's metadata before any data. In a floating-point column the
 *   strings "NaN", "Infinity" and "-Infinity" (how JSON-based sources write those numbers) become them. Records are written in tables of up
 *   to `maxRowsPerTable` rows, each one self-contained Arrow IPC stream cut into 1,000,000-byte pieces.
 * - A stream is read `incremental` when the configuration carries a state and the stream supports it,
 *   else `full_refresh`. With a `<State>` element, a successful run writes the new per-stream states back
 *   into the tool configuration (`OMT_UpdateOutputConfigXml`), so the next run continues from there; a
 *   failed run leaves it as it was.
 * - LOG messages become info, warning or error messages (DEBUG and TRACE levels are dropped); every
 *   stream's end is reported as an info line with its record count. A failed stream is reported as an
 *   error message and ends the run with `INPUT_TOOL_SOURCE_FAILED` (the engine sees
 *   `TRANSPORT_PLUGIN_FAILED`). Secrets of the config never appear in any message.
 *
 * - Schemas are pushed from `onInit`, which runs in update-only mode (a metadata refresh) too: the
 *   configuration is read and checked and the source's `discover` runs then (it may call the network),
 *   so the tools downstream know the columns before the first run. A configuration the spec refuses
 *   fails the refresh with `INPUT_TOOL_CONFIG`, as it would fail the run.
 */
export function sourceAsInputTool(
  source: Source<JsonObject>,
  options: InputToolOptions = {},
): SdkPluginClass {
  const maxRows = options.maxRowsPerTable ?? DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) {
    throw new InputToolError(
      'INPUT_TOOL_CONFIG',
      `maxRowsPerTable must be an integer >= 1, got ${String(maxRows)}`,
    );
  }
  const extraFields = options.extraFields ?? 'error';

  return class SourceInputTool implements SdkPlugin {
    #prepared: Prepared | undefined;

    constructor(private readonly provider: PluginProvider) {}

    /**
     * In every mode, update-only (a metadata refresh) included: reads the configuration (secrets
     * decrypted by the engine), checks it against the spec, discovers the streams and pushes each
     * anchor's Arrow schema, so that the tools downstream know the columns before any run.
     */
    async onInit(): Promise<void> {
      const provider = this.provider;
      const toolConfig = await readInputToolConfig(provider.toolConfigXml, provider.io);
      const config = toolConfig.config as JsonObject;
      const spec = await source.spec();
      const masker = createSecretMasker(spec.connectionSpecification, config);
      try {
        validateConfig(spec, config);
      } catch (error) {
        throw new InputToolError('INPUT_TOOL_CONFIG', masker.mask(describe(error)), { cause: error });
      }
      let discovered: readonly AirbyteStream[];
      try {
        discovered = (await source.discover(config)).streams;
      } catch (error) {
        throw failure(error, undefined, masker);
      }
      const plan = planStreams(
        discovered,
        toolConfig.streams,
        Object.keys(provider.outgoingAnchors),
        options,
      );
      for (const { anchor, schema } of plan.values()) provider.pushOutgoingMetadata(anchor, schema);
      this.#prepared = { toolConfig, config, masker, plan };
    }

    async onComplete(): Promise<void> {
      const provider = this.provider;
      const { toolConfig, config, masker, plan } = this.#prepared as Prepared;
      const catalog: ConfiguredAirbyteCatalog = {
        streams: [...plan.values()].map(({ stream }) => {
          const incremental =
            toolConfig.state !== undefined && stream.supported_sync_modes.includes('incremental');
          return {
            stream,
            sync_mode: incremental ? 'incremental' : 'full_refresh',
            destination_sync_mode: incremental ? 'append' : 'overwrite',
          };
        }),
      };

      const buffers = new Map<string, JsonObject[]>();
      const counts = new Map<string, number>();
      const states = new Map<string, AirbyteStateMessage['state']>();
      for (const entry of toolConfig.state ?? []) {
        const name = (entry as AirbyteStateMessage['state'])?.stream?.stream_descriptor?.name;
        if (typeof name === 'string') states.set(name, entry as AirbyteStateMessage['state']);
      }
      let lastError: { message: string; failureType: string } | undefined;
      const flush = async (name: string): Promise<void> => {
        const rows = buffers.get(name);
        const target = plan.get(name);
        if (rows === undefined || rows.length === 0 || target === undefined) return;
        buffers.set(name, []);
        let batch: ReturnType<typeof rowsToRecordBatch>;
        try {
          restoreNonFiniteNumbers(rows, target.floatFields);
          batch = rowsToRecordBatch(rows, { schema: target.schema, extraFields });
        } catch (error) {
          throw new InputToolError('INPUT_TOOL_SCHEMA', `stream "${name}": ${masker.mask(describe(error))}`, {
            cause: error,
          });
        }
        await provider.writeToAnchor(target.anchor, batch);
      };
      const handle = async (message: AirbyteMessage): Promise<void> => {
        switch (message.type) {
          case 'RECORD': {
            const name = message.record.stream;
            const rows = buffers.get(name) ?? [];
            rows.push(message.record.data);
            buffers.set(name, rows);
            counts.set(name, (counts.get(name) ?? 0) + 1);
            if (rows.length >= maxRows) await flush(name);
            return;
          }
          case 'STATE': {
            const name = message.state.stream?.stream_descriptor.name;
            const { sourceStats: _stats, ...payload } = message.state;
            if (name !== undefined) states.set(name, payload);
            return;
          }
          case 'LOG': {
            const { level, message: text } = message.log;
            if (level === 'ERROR' || level === 'FATAL') provider.io.error(text);
            else if (level === 'WARN') provider.io.warn(text);
            else if (level === 'INFO') provider.io.info(text);
            return;
          }
          case 'TRACE': {
            const trace = message.trace;
            if (trace.type === 'ERROR') {
              lastError = {
                message: trace.error.message,
                failureType: trace.error.failure_type ?? 'system_error',
              };
              provider.io.error(trace.error.message);
            } else if (trace.type === 'STREAM_STATUS' && trace.stream_status.status === 'COMPLETE') {
              const name = trace.stream_status.stream_descriptor.name;
              await flush(name);
              provider.io.info(`${name}: ${counts.get(name) ?? 0} records`);
            }
            return;
          }
          default:
            return;
        }
      };

      try {
        for await (const batch of source.readBatches(
          config,
          catalog,
          toolConfig.state,
          options.readOptions ?? {},
        )) {
          for (const message of batch) await handle(message);
          if (provider.signal.aborted) return;
        }
      } catch (error) {
        throw failure(error, lastError, masker);
      }
      for (const name of plan.keys()) await flush(name);
      if (toolConfig.keepsState)
        provider.saveToolConfig(withState(toolConfig.document, [...states.values()]));
    }
  };
}

/** What onInit found out, for the run. */
interface Prepared {
  readonly toolConfig: Awaited<ReturnType<typeof readInputToolConfig>>;
  readonly config: JsonObject;
  readonly masker: TextMasker;
  readonly plan: Map<string, PlannedStream>;
}

interface PlannedStream {
  readonly stream: AirbyteStream;
  readonly anchor: string;
  readonly schema: Schema;
  /** Top-level fields of a floating-point Arrow type. */
  readonly floatFields: readonly string[];
}

const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};

/**
 * JSON has no NaN or infinities, so Airbyte-protocol sources write them as the strings "NaN", "Infinity"
 * and "-Infinity" (as `@sdk/datasource-bridge` does); in a floating-point column those strings can only
 * mean the numbers, and Arrow's Float64 holds them exactly.
 */
function restoreNonFiniteNumbers(rows: JsonObject[], floatFields: readonly string[]): void {
  if (floatFields.length === 0) return;
  for (const row of rows) {
    for (const field of floatFields) {
      const value = row[field];
      if (typeof value === 'string' && Object.hasOwn(NON_FINITE, value)) {
        (row as Record<string, unknown>)[field] = NON_FINITE[value];
      }
    }
  }
}

function planStreams(
  discovered: readonly AirbyteStream[],
  wanted: readonly string[] | undefined,
  anchors: readonly string[],
  options: InputToolOptions,
): Map<string, PlannedStream> {
  const anchorOf = (name: string, selectedCount: number): string | undefined => {
    const chosen = options.anchorForStream?.(name, anchors);
    if (chosen !== undefined) return chosen;
    if (anchors.includes(name)) return name;
    return selectedCount === 1 && anchors.length === 1 ? anchors[0] : undefined;
  };
  for (const name of wanted ?? []) {
    if (!discovered.some((stream) => stream.name === name)) {
      throw new InputToolError(
        'INPUT_TOOL_CONFIG',
        `<Streams> names "${name}", which the source does not have (it has: ${discovered.map((stream) => stream.name).join(', ')})`,
      );
    }
  }
  const selected =
    wanted === undefined
      ? discovered.filter((stream) => anchorOf(stream.name, discovered.length) !== undefined)
      : discovered.filter((stream) => wanted.includes(stream.name));
  if (selected.length === 0) {
    throw new InputToolError(
      'INPUT_TOOL_ANCHOR',
      `no stream has an outgoing anchor: the tool declares [${anchors.join(', ')}], the source has [${discovered.map((stream) => stream.name).join(', ')}]`,
    );
  }
  const plan = new Map<string, PlannedStream>();
  const used = new Map<string, string>();
  for (const stream of selected) {
    const anchor = anchorOf(stream.name, selected.length);
    if (anchor === undefined || !anchors.includes(anchor)) {
      throw new InputToolError(
        'INPUT_TOOL_ANCHOR',
        `stream "${stream.name}" has no outgoing anchor (the tool declares [${anchors.join(', ')}])`,
      );
    }
    const taken = used.get(anchor);
    if (taken !== undefined) {
      throw new InputToolError(
        'INPUT_TOOL_ANCHOR',
        `streams "${taken}" and "${stream.name}" both map to anchor "${anchor}"`,
      );
    }
    used.set(anchor, stream.name);
    let schema: Schema;
    try {
      schema = jsonSchemaToArrowSchema(stream.json_schema as Parameters<typeof jsonSchemaToArrowSchema>[0]);
    } catch (error) {
      throw new InputToolError('INPUT_TOOL_SCHEMA', `stream "${stream.name}": ${describe(error)}`, {
        cause: error,
      });
    }
    const floatFields = schema.fields
      .filter((field) => DataType.isFloat(field.type))
      .map((field) => field.name);
    plan.set(stream.name, { stream, anchor, schema, floatFields });
  }
  return plan;
}

function failure(
  error: unknown,
  lastError: { message: string; failureType: string } | undefined,
  masker: TextMasker,
): Error {
  if (InputToolError.isInstance(error)) return error;
  if (SyncFailedError.isInstance(error) && lastError !== undefined) {
    return new InputToolError('INPUT_TOOL_SOURCE_FAILED', `${lastError.message} [${lastError.failureType}]`, {
      cause: error,
      failureType: lastError.failureType,
    });
  }
  const failureType = StreamCdkError.isInstance(error)
    ? error.failureType
    : ChunkerError.isInstance(error)
      ? 'system_error'
      : undefined;
  return new InputToolError('INPUT_TOOL_SOURCE_FAILED', masker.mask(describe(error)), {
    cause: error,
    ...(failureType === undefined ? {} : { failureType }),
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
