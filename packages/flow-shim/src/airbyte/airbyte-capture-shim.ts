import {
  CaptureConnector,
  type CapturePlan,
  type ConnectorContext,
  type ConnectorSpec,
} from '../connector/capture-connector';
import type { CaptureTask } from '../connector/capture-task';
import { FlowConnectorError } from '../errors/flow-connector-error';
import { FlowValidationError } from '../errors/flow-validation-error';
import { AirbyteFlowState } from '../internal/airbyte-flow-state';
import {
  type AirbyteResourceConfig,
  airbyteResourceConfigSchema,
  airbyteResourcePath,
  airbyteResourcePathPointers,
  configuredCatalogFor,
  discoveredBindingsFromCatalog,
  parseAirbyteResourceConfig,
  streamId,
  validateAirbyteBindings,
} from '../internal/airbyte-mapping';
import { documentWithRowId } from '../internal/document-with-row-id';
import { keyDiscoveredBindings } from '../internal/keyed-bindings';
import { shimCheckpoint } from '../internal/shim-checkpoint';
import type { ConnectorLogger } from '../io/connector-logger';
import type { DiscoverRequest, OpenRequest, SpecRequest, ValidateRequest } from '../protocol/capture-request';
import type { DiscoveredBinding, ValidatedBinding } from '../protocol/capture-response';
import type { InvalidKeyPolicy } from '../protocol/collection-key';
import type { OAuth2Spec } from '../protocol/flow-specs';
import type { AirbyteDriver, AirbyteMessageEnvelope } from './airbyte-driver';

/** Options of {@link AirbyteCaptureShim}. */
export interface AirbyteCaptureShimOptions {
  /**
   * Checkpoint per binding as RFC 7396 merge patches (true, the default) or write the whole state
   * with `mergePatch: false` exactly like the Python `flow_sdk` shim (false: compatibility mode for
   * tasks that shim created). Both modes read either layout.
   */
  mergePatch?: boolean;
  /** Mark discovered schemas `x-infer-schema: true`. Defaults to true. */
  schemaInference?: boolean;
  /** OAuth2 description returned by `spec`. Defaults to none. */
  oauth2?: OAuth2Spec;
  /** Documentation URL returned by `spec`. Defaults to `$DOCS_URL`, else the connector's own, else `''`. */
  documentationUrl?: string;
  /**
   * What to do with records or states of a stream that is not bound: `'fail'` (default) stops with
   * `FLOW_UNKNOWN_STREAM`; `'warn'` logs and skips them (the Python shim's behaviour).
   */
  onUnknownStream?: 'fail' | 'warn';
  /**
   * A stream whose primary key Flow cannot use (a number, object or array, or an undeclared type):
   * `'fail'` (default) refuses `discover` with `FLOW_INVALID_KEY`; `'row-id'` keys that stream by the
   * shim's row counter `/_meta/row_id` instead (documents are then never merged by the source's key).
   * Valid keys are always marked `required` in the discovered schema.
   */
  onInvalidKey?: InvalidKeyPolicy;
  /**
   * Ask the runtime for explicit acknowledgements and read no further than one checkpoint the
   * runtime has not acknowledged as committed (the wrapped connector then waits on its stdout);
   * the process exits only after the last checkpoint is acknowledged. Defaults to false.
   */
  explicitAcknowledgements?: boolean;
}

const logLevels: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
};

/**
 * A Flow capture wrapping an Airbyte source through an {@link AirbyteDriver}: spec, discover,
 * validate (connection check plus bindings matched against discovery) and a batch `open` that reads
 * every bound stream once, mapping RECORDs to documents (with `_meta.row_id`) and each STATE to a
 * checkpoint, then exits for the runtime to re-run it after the capture's interval.
 */
export class AirbyteCaptureShim extends CaptureConnector {
  private readonly mergePatch: boolean;
  private readonly schemaInference: boolean;
  private readonly explicitAcknowledgements: boolean;

  constructor(
    private readonly driver: AirbyteDriver,
    private readonly options: AirbyteCaptureShimOptions = {},
  ) {
    super();
    this.mergePatch = options.mergePatch ?? true;
    this.schemaInference = options.schemaInference ?? true;
    this.explicitAcknowledgements = options.explicitAcknowledgements ?? false;
  }

  async spec(_request: SpecRequest): Promise<ConnectorSpec> {
    const spec = await this.driver.spec();
    return {
      configSchema: spec.connectionSpecification,
      resourceConfigSchema: airbyteResourceConfigSchema,
      documentationUrl: this.options.documentationUrl ?? process.env.DOCS_URL ?? spec.documentationUrl ?? '',
      ...(this.options.oauth2 ? { oauth2: this.options.oauth2 } : {}),
      resourcePathPointers: airbyteResourcePathPointers,
    };
  }

  async discover(request: DiscoverRequest, context: ConnectorContext): Promise<DiscoveredBinding[]> {
    const streams = await this.driver.discover(request.config);
    return keyDiscoveredBindings(
      discoveredBindingsFromCatalog(streams, { schemaInference: this.schemaInference }),
      this.options.onInvalidKey ?? 'fail',
      context.logger,
      this.driver.name,
    );
  }

  async validate(request: ValidateRequest): Promise<ValidatedBinding[]> {
    const status = await this.driver.check(request.config);
    if (!status.succeeded) {
      throw new FlowValidationError([`connection check failed: ${status.message ?? 'no reason given'}`]);
    }
    const configs = request.bindings.map((binding, index) =>
      parseAirbyteResourceConfig(binding.resourceConfig, `binding ${index}`),
    );
    validateAirbyteBindings(configs, await this.driver.discover(request.config));
    return configs.map((config) => ({ resourcePath: airbyteResourcePath(config) }));
  }

  open(request: OpenRequest, context: ConnectorContext): CapturePlan {
    const bindings = request.capture.bindings;
    const configs = bindings.map((binding, index) =>
      parseAirbyteResourceConfig(binding.resourceConfig, `binding ${index}`),
    );
    // Records are routed by stream, so two bindings of one stream could not be told apart.
    const ids = configs.map((config) => streamId(config.stream, config.namespace));
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (duplicates.length > 0) {
      throw new FlowValidationError(duplicates.map((id) => `stream '${id}' is bound more than once`));
    }
    const state = new AirbyteFlowState(
      request.state,
      configs.map((config, index) => ({
        stateKey: (bindings[index] as { stateKey: string }).stateKey,
        stream: config.stream,
        namespace: config.namespace,
        syncMode: config.syncMode,
      })),
      this.mergePatch,
      this.driver.name,
    );
    const catalog = configuredCatalogFor(bindings, configs);
    return {
      explicitAcknowledgements: this.explicitAcknowledgements,
      tasks: [
        {
          name: this.driver.name,
          run: (task) => this.read(task, request, configs, state, catalog, context.logger),
        },
      ],
    };
  }

  private async read(
    task: CaptureTask,
    request: OpenRequest,
    configs: readonly AirbyteResourceConfig[],
    state: AirbyteFlowState,
    catalog: ReturnType<typeof configuredCatalogFor>,
    logger: ConnectorLogger,
  ): Promise<void> {
    const connector = this.driver.name;
    const failOnUnknown = (this.options.onUnknownStream ?? 'fail') === 'fail';
    const unknownStream = (stream: string) => {
      if (failOnUnknown) {
        throw new FlowConnectorError(
          'FLOW_UNKNOWN_STREAM',
          connector,
          stream,
          'the connector emitted a stream that is not bound',
        );
      }
      logger.warn('skipping a message of a stream that is not bound', { connector, stream });
    };
    let currentStream = '';
    let lastReportedError = '';
    const incoming = state.incoming();
    logger.info('starting Airbyte read', {
      connector,
      streams: configs.map((config) => streamId(config.stream, config.namespace)),
    });
    try {
      for await (const batch of this.driver.read(request.capture.config, catalog, incoming, task.signal)) {
        for (const message of batch) {
          const type = message.type;
          if (type === 'RECORD') {
            const record = message.record;
            if (
              !record ||
              typeof record.stream !== 'string' ||
              typeof record.data !== 'object' ||
              record.data === null
            ) {
              throw new FlowConnectorError(
                'FLOW_CONNECTOR_OUTPUT',
                connector,
                currentStream,
                'RECORD without stream or data',
              );
            }
            currentStream = record.stream;
            const binding = state.bindingOf(record.stream, record.namespace);
            if (binding === undefined) {
              unknownStream(streamId(record.stream, record.namespace));
              continue;
            }
            const wait = task.capturedJson(documentWithRowId(record.data, state.takeRowId(binding)), binding);
            if (wait) await wait;
          } else if (type === 'STATE') {
            if (!message.state)
              throw new FlowConnectorError(
                'FLOW_CONNECTOR_OUTPUT',
                connector,
                currentStream,
                'STATE without payload',
              );
            state.apply(message.state, unknownStream);
            const { updated, mergePatch } = state.checkpoint(false);
            await shimCheckpoint(task, updated, mergePatch, this.explicitAcknowledgements);
          } else {
            if (message.type === 'TRACE' && message.trace?.type === 'ERROR' && message.trace.error?.message) {
              lastReportedError = message.trace.error.message;
            }
            currentStream = this.observe(message, currentStream, logger) ?? currentStream;
          }
          if (task.stopping) return;
        }
      }
    } catch (error) {
      if (task.stopping) throw error;
      // Airbyte connectors explain failures in ERROR traces on stdout, not on stderr: name it.
      const reported = lastReportedError ? ` (the connector reported: ${lastReportedError})` : '';
      if (FlowConnectorError.isInstance(error)) {
        if (error.code !== 'FLOW_CONNECTOR_EXITED' || !reported) throw error;
        throw new FlowConnectorError(
          error.code,
          error.connector,
          error.stream || currentStream,
          `${error.detail}${reported}`,
          {
            cause: error,
          },
        );
      }
      throw new FlowConnectorError(
        'FLOW_CONNECTOR_EXITED',
        connector,
        currentStream,
        `${error instanceof Error ? error.message : String(error)}${reported}`,
        { cause: error },
      );
    }
    if (task.stopping) return;
    const { updated, mergePatch } = state.checkpoint(true);
    await shimCheckpoint(task, updated, mergePatch, this.explicitAcknowledgements);
    logger.info('Airbyte read finished; emitted the final checkpoint of the sweep', { connector });
  }

  /** Handles LOG and TRACE messages; returns the stream a status trace names. */
  private observe(
    message: AirbyteMessageEnvelope,
    currentStream: string,
    logger: ConnectorLogger,
  ): string | undefined {
    const connector = this.driver.name;
    if (message.type === 'LOG') {
      const level = logLevels[String(message.log?.level ?? 'INFO').toUpperCase()] ?? 'error';
      logger.log(level, String(message.log?.message ?? ''), {
        connector,
        ...(message.log?.stack_trace ? { stackTrace: message.log.stack_trace } : {}),
      });
      return undefined;
    }
    if (message.type === 'TRACE') {
      const trace = message.trace ?? {};
      if (trace.type === 'ERROR') {
        logger.error(String(trace.error?.message ?? 'connector reported an error'), {
          connector,
          stream: trace.error?.stream_descriptor?.name ?? currentStream,
          ...(trace.error?.internal_message ? { internalMessage: trace.error.internal_message } : {}),
        });
        return trace.error?.stream_descriptor?.name;
      }
      if (trace.type === 'STREAM_STATUS') {
        const name = trace.stream_status?.stream_descriptor?.name;
        logger.info('stream status', { connector, stream: name, status: trace.stream_status?.status });
        return name;
      }
      if (trace.type === 'ESTIMATE') {
        logger.info('progress estimate', { connector, ...trace.estimate });
        return undefined;
      }
      logger.debug('connector trace', { connector, type: trace.type });
      return undefined;
    }
    if (message.type === 'CONTROL') {
      logger.warn('ignoring a CONTROL message (config updates are not supported by the shim)', { connector });
      return undefined;
    }
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_OUTPUT',
      connector,
      currentStream,
      `unexpected ${JSON.stringify(message.type)} message during read`,
    );
  }
}
