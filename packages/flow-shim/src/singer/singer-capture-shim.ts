import {
  CaptureConnector,
  type CapturePlan,
  type ConnectorContext,
  type ConnectorSpec,
} from '../connector/capture-connector';
import type { CaptureTask } from '../connector/capture-task';
import { FlowConnectorError } from '../errors/flow-connector-error';
import { FlowValidationError } from '../errors/flow-validation-error';
import {
  childJsonLines,
  childOutput,
  withJsonFiles,
  withJsonFilesStreaming,
} from '../internal/child-json-lines';
import { documentWithRowId } from '../internal/document-with-row-id';
import { keyDiscoveredBindings } from '../internal/keyed-bindings';
import { shimCheckpoint } from '../internal/shim-checkpoint';
import { SingerFlowState } from '../internal/singer-flow-state';
import {
  discoveredBindingsFromSingerCatalog,
  parseSingerResourceConfig,
  replicationMethod,
  type SingerCatalogEntry,
  singerCatalogFor,
  singerResourceConfigSchema,
} from '../internal/singer-mapping';
import { ConnectorLogger } from '../io/connector-logger';
import type { DiscoverRequest, OpenRequest, SpecRequest, ValidateRequest } from '../protocol/capture-request';
import type { DiscoveredBinding, ValidatedBinding } from '../protocol/capture-response';
import type { InvalidKeyPolicy } from '../protocol/collection-key';
import type { JsonObject, JsonValue, OAuth2Spec } from '../protocol/flow-specs';

/** Default most bytes of catalog a tap may print for `--discover`: 64 MiB. */
export const DEFAULT_MAX_CATALOG_BYTES = 64 * 1024 * 1024;

/** Options of {@link SingerCaptureShim}. */
export interface SingerCaptureShimOptions {
  /** Executable of the Singer tap. */
  command: string;
  /** Arguments placed before `--config ...`. Defaults to `[]`. */
  args?: readonly string[];
  /** Extra environment. Defaults to `{}`. */
  env?: Record<string, string>;
  /** Working directory. Defaults to the current one. */
  cwd?: string;
  /** Name used in logs and errors. Defaults to the command's file name. */
  name?: string;
  /**
   * JSON schema of the tap's config (Singer taps have no `spec` command). Give this or
   * `configSchemaFromAbout`; without either, `spec` answers `{"type": "object"}`.
   */
  configSchema?: JsonValue;
  /**
   * Answer `spec` with the `settings` schema the tap prints for `--about --format=json` (what
   * Meltano Singer SDK taps print). Defaults to false.
   */
  configSchemaFromAbout?: boolean;
  /** Documentation URL returned by `spec`. Defaults to `$DOCS_URL`, else `https://docs.estuary.dev`. */
  documentationUrl?: string;
  /** OAuth2 description returned by `spec`. Defaults to none. */
  oauth2?: OAuth2Spec;
  /** Mark discovered schemas `x-infer-schema: true`. Defaults to true. */
  schemaInference?: boolean;
  /** Per-binding merge-patch checkpoints (default true), or the Python shim's full-state layout (false). */
  mergePatch?: boolean;
  /** Records or bookmarks of unbound streams: `'fail'` (default, `FLOW_UNKNOWN_STREAM`) or `'warn'` and skip. */
  onUnknownStream?: 'fail' | 'warn';
  /** A stdout line that is not JSON: `'fail'` (default) or `'warn'` and skip. */
  onInvalidLine?: 'fail' | 'warn';
  /**
   * A stream whose key properties Flow cannot use (a number, object or array, or an undeclared
   * type): `'fail'` (default) refuses `discover` with `FLOW_INVALID_KEY`; `'row-id'` keys that stream
   * by the shim's row counter `/_meta/row_id` instead. Valid keys are always marked `required`.
   */
  onInvalidKey?: InvalidKeyPolicy;
  /**
   * Ask the runtime for explicit acknowledgements and read no further than one checkpoint it has not
   * acknowledged (the tap then waits on its stdout); the process exits only after the last checkpoint
   * is acknowledged. Defaults to false.
   */
  explicitAcknowledgements?: boolean;
  /** Longest stdout line accepted, in bytes. Defaults to 128 MiB. */
  maxLineBytes?: number;
}

/**
 * A Flow capture wrapping a Singer tap executable: `--config --discover` for discovery, `--config
 * --catalog [--state]` for a batch read whose RECORDs become documents (with `_meta.row_id`) and
 * whose STATEs become checkpoints, mapped as the Python `flow_sdk` Singer shim did.
 */
export class SingerCaptureShim extends CaptureConnector {
  private readonly name: string;

  constructor(private readonly options: SingerCaptureShimOptions) {
    super();
    this.name = options.name ?? options.command.split('/').pop() ?? options.command;
  }

  spec(_request?: SpecRequest, context?: ConnectorContext): ConnectorSpec | Promise<ConnectorSpec> {
    if (this.options.configSchemaFromAbout) {
      return this.aboutSettings(context?.logger ?? new ConnectorLogger()).then((configSchema) =>
        this.specWith(configSchema),
      );
    }
    return this.specWith(this.options.configSchema ?? { type: 'object' });
  }

  private specWith(configSchema: JsonValue): ConnectorSpec {
    return {
      configSchema,
      resourceConfigSchema: singerResourceConfigSchema,
      documentationUrl: this.options.documentationUrl ?? process.env.DOCS_URL ?? 'https://docs.estuary.dev',
      ...(this.options.oauth2 ? { oauth2: this.options.oauth2 } : {}),
      resourcePathPointers: ['/tap_stream_id'],
    };
  }

  async discover(request: DiscoverRequest, context: ConnectorContext): Promise<DiscoveredBinding[]> {
    return keyDiscoveredBindings(
      discoveredBindingsFromSingerCatalog(await this.catalog(request.config, context.logger), {
        schemaInference: this.options.schemaInference ?? true,
      }),
      this.options.onInvalidKey ?? 'fail',
      context.logger,
      this.name,
    );
  }

  async validate(request: ValidateRequest, context: ConnectorContext): Promise<ValidatedBinding[]> {
    const problems: string[] = [];
    const entries: Array<SingerCatalogEntry | undefined> = request.bindings.map((binding, index) => {
      try {
        return parseSingerResourceConfig(binding.resourceConfig, `binding ${index}`);
      } catch (error) {
        if (!FlowValidationError.isInstance(error)) throw error;
        problems.push(...error.problems);
        return undefined;
      }
    });
    const catalog = await this.catalog(request.config, context.logger);
    const known = new Set(
      (((catalog as JsonObject).streams ?? []) as JsonObject[]).map((stream) => String(stream.tap_stream_id)),
    );
    const bound = new Set<string>();
    for (const entry of entries) {
      if (entry && bound.has(entry.tap_stream_id))
        problems.push(`stream '${entry.tap_stream_id}' is bound more than once`);
      if (entry) bound.add(entry.tap_stream_id);
      if (entry && !known.has(entry.tap_stream_id))
        problems.push(`stream '${entry.tap_stream_id}' was not found by discovery`);
    }
    if (problems.length > 0) throw new FlowValidationError(problems);
    return entries.map((entry) => ({ resourcePath: [(entry as SingerCatalogEntry).tap_stream_id] }));
  }

  open(request: OpenRequest, context: ConnectorContext): CapturePlan {
    const bindings = request.capture.bindings;
    const entries = bindings.map((binding, index) =>
      parseSingerResourceConfig(binding.resourceConfig, `binding ${index}`),
    );
    const ids = entries.map((entry) => entry.tap_stream_id);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (duplicates.length > 0) {
      throw new FlowValidationError(duplicates.map((id) => `stream '${id}' is bound more than once`));
    }
    const state = new SingerFlowState(
      request.state,
      entries.map((entry, index) => ({
        stateKey: (bindings[index] as { stateKey: string }).stateKey,
        tapStreamId: entry.tap_stream_id,
        fullTable: replicationMethod(entry) === 'FULL_TABLE',
      })),
      this.options.mergePatch ?? true,
    );
    const catalog = singerCatalogFor(
      entries,
      bindings.map((binding) => binding.collection.writeSchema),
    );
    return {
      explicitAcknowledgements: this.options.explicitAcknowledgements ?? false,
      tasks: [
        {
          name: this.name,
          run: (task) => this.read(task, request.capture.config, catalog, state, context.logger),
        },
      ],
    };
  }

  /** The `settings` schema of `--about --format=json`. */
  private async aboutSettings(logger: ConnectorLogger): Promise<JsonValue> {
    const output = await childOutput({
      command: this.options.command,
      args: [...(this.options.args ?? []), '--about', '--format=json'],
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      connector: this.name,
      logger,
      maxOutputBytes: DEFAULT_MAX_CATALOG_BYTES,
    });
    let about: unknown;
    try {
      about = JSON.parse(output);
    } catch (error) {
      throw new FlowConnectorError(
        'FLOW_CONNECTOR_OUTPUT',
        this.name,
        '',
        '--about --format=json did not print JSON',
        {
          cause: error,
        },
      );
    }
    const settings = (about as { settings?: unknown } | null)?.settings;
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw new FlowConnectorError(
        'FLOW_CONNECTOR_OUTPUT',
        this.name,
        '',
        "--about --format=json printed no 'settings' schema; give the config schema explicitly",
      );
    }
    return settings as JsonValue;
  }

  private async catalog(config: JsonValue, logger: ConnectorLogger): Promise<JsonValue> {
    const output = await withJsonFiles({ config }, (paths) =>
      childOutput({
        command: this.options.command,
        args: [...(this.options.args ?? []), '--config', paths.config as string, '--discover'],
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        connector: this.name,
        logger,
        maxOutputBytes: DEFAULT_MAX_CATALOG_BYTES,
      }),
    );
    try {
      return JSON.parse(output) as JsonValue;
    } catch (error) {
      throw new FlowConnectorError(
        'FLOW_CONNECTOR_OUTPUT',
        this.name,
        '',
        '--discover did not print a JSON catalog',
        {
          cause: error,
        },
      );
    }
  }

  private async read(
    task: CaptureTask,
    config: JsonValue,
    catalog: JsonObject,
    state: SingerFlowState,
    logger: ConnectorLogger,
  ): Promise<void> {
    const connector = this.name;
    const failOnUnknown = (this.options.onUnknownStream ?? 'fail') === 'fail';
    let currentStream = '';
    const unknownStream = (stream: string) => {
      if (failOnUnknown) {
        throw new FlowConnectorError(
          'FLOW_UNKNOWN_STREAM',
          connector,
          stream,
          'the tap emitted a stream that is not bound',
        );
      }
      logger.warn('skipping a message of a stream that is not bound', { connector, stream });
    };
    const singerState = state.singerState();
    const files: Record<string, JsonValue> = { config, catalog };
    if (singerState) files.state = singerState;
    const messages = withJsonFilesStreaming(files, (paths) =>
      childJsonLines({
        command: this.options.command,
        args: [
          ...(this.options.args ?? []),
          '--config',
          paths.config as string,
          '--catalog',
          paths.catalog as string,
          ...(paths.state ? ['--state', paths.state] : []),
        ],
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        connector,
        logger,
        maxLineBytes: this.options.maxLineBytes ?? 128 * 1024 * 1024,
        onInvalidLine: this.options.onInvalidLine ?? 'fail',
        currentStream: () => currentStream,
        observe: (message) => {
          if (message.type === 'RECORD' && typeof message.stream === 'string') currentStream = message.stream;
        },
        signal: task.signal,
      }),
    );
    try {
      for await (const batch of messages) {
        for (const message of batch) {
          if (message.type === 'RECORD') {
            const stream = String(message.stream);
            const binding = state.bindingOf(stream);
            if (binding === undefined) {
              unknownStream(stream);
              continue;
            }
            const record = message.record;
            if (typeof record !== 'object' || record === null || Array.isArray(record)) {
              throw new FlowConnectorError(
                'FLOW_CONNECTOR_OUTPUT',
                connector,
                stream,
                'RECORD without a record object',
              );
            }
            const wait = task.capturedJson(documentWithRowId(record, state.takeRowId(binding)), binding);
            if (wait) await wait;
          } else if (message.type === 'STATE') {
            state.apply(message.value ?? {}, unknownStream);
            const { updated, mergePatch } = state.checkpoint(false);
            await shimCheckpoint(task, updated, mergePatch, this.options.explicitAcknowledgements ?? false);
          } else if (message.type === 'SCHEMA') {
            const stream = String(message.stream);
            if (state.bindingOf(stream) === undefined) unknownStream(stream);
          } else if (message.type === 'ACTIVATE_VERSION') {
            logger.debug('ignoring ACTIVATE_VERSION', { connector, stream: message.stream });
          } else {
            throw new FlowConnectorError(
              'FLOW_CONNECTOR_OUTPUT',
              connector,
              currentStream,
              `unexpected message type ${JSON.stringify(message.type)}`,
            );
          }
          if (task.stopping) return;
        }
      }
    } catch (error) {
      if (task.stopping) return;
      throw error;
    }
    if (task.stopping) return;
    const { updated, mergePatch } = state.checkpoint(true);
    await shimCheckpoint(task, updated, mergePatch, this.options.explicitAcknowledgements ?? false);
    logger.info('Singer sync finished; emitted the final checkpoint of the sweep', { connector });
  }
}
