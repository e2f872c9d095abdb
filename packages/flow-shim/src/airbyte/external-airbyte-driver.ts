import { FlowConnectorError } from '../errors/flow-connector-error';
import { childJsonLines, withJsonFilesStreaming } from '../internal/child-json-lines';
import { ConnectorLogger } from '../io/connector-logger';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import type {
  AirbyteDriver,
  AirbyteMessageEnvelope,
  AirbyteSpecification,
  AirbyteStatePayload,
  AirbyteStreamDefinition,
  ConfiguredCatalog,
} from './airbyte-driver';

/** Default longest stdout line accepted from a wrapped connector: 128 MiB. */
export const DEFAULT_MAX_CONNECTOR_LINE_BYTES = 128 * 1024 * 1024;

/** Options of {@link ExternalAirbyteDriver}. */
export interface ExternalAirbyteDriverOptions {
  /** Executable of the Airbyte connector (any language). */
  command: string;
  /** Arguments placed before the Airbyte command (`spec`, `check`, ...). Defaults to `[]`. */
  args?: readonly string[];
  /** Extra environment. Defaults to `{}`. */
  env?: Record<string, string>;
  /** Working directory. Defaults to the current one. */
  cwd?: string;
  /** Name used in logs and errors. Defaults to the command's file name. */
  name?: string;
  /** Where stderr lines and LOG messages go. Defaults to a stderr JSON logger at `LOG_LEVEL`. */
  logger?: ConnectorLogger;
  /** Longest stdout line accepted, in bytes. Defaults to {@link DEFAULT_MAX_CONNECTOR_LINE_BYTES}. */
  maxLineBytes?: number;
  /** A stdout line that is not JSON: `'fail'` (default, `FLOW_CONNECTOR_OUTPUT`) or `'warn'` and skip. */
  onInvalidLine?: 'fail' | 'warn';
}

/**
 * Drives an Airbyte-protocol connector executable as a child process: `spec`, `check --config`,
 * `discover --config`, `read --config --catalog [--state]`, with config, catalog and state written
 * to private temporary files that are removed afterwards.
 */
export class ExternalAirbyteDriver implements AirbyteDriver {
  readonly name: string;
  private readonly logger: ConnectorLogger;

  constructor(private readonly options: ExternalAirbyteDriverOptions) {
    this.name = options.name ?? options.command.split('/').pop() ?? options.command;
    this.logger = options.logger ?? new ConnectorLogger();
  }

  async spec(): Promise<AirbyteSpecification> {
    const message = await this.single(['spec'], {}, 'SPEC');
    return message.spec as unknown as AirbyteSpecification;
  }

  async check(config: JsonValue): Promise<{ succeeded: boolean; message?: string }> {
    const message = await this.single(['check', '--config', '{config}'], { config }, 'CONNECTION_STATUS');
    const status = message.connectionStatus as { status?: string; message?: string } | undefined;
    return {
      succeeded: status?.status === 'SUCCEEDED',
      ...(status?.message ? { message: status.message } : {}),
    };
  }

  async discover(config: JsonValue): Promise<AirbyteStreamDefinition[]> {
    const message = await this.single(['discover', '--config', '{config}'], { config }, 'CATALOG');
    const catalog = message.catalog as { streams?: AirbyteStreamDefinition[] } | undefined;
    return catalog?.streams ?? [];
  }

  read(
    config: JsonValue,
    catalog: ConfiguredCatalog,
    state: AirbyteStatePayload[],
    signal: AbortSignal,
  ): AsyncIterable<AirbyteMessageEnvelope[]> {
    let currentStream = '';
    const files: Record<string, JsonValue> = { config, catalog: catalog as unknown as JsonValue };
    const args = ['read', '--config', '{config}', '--catalog', '{catalog}'];
    if (state.length > 0) {
      files.state = state as unknown as JsonValue;
      args.push('--state', '{state}');
    }
    const observe = (message: JsonObject) => {
      const record = message.record as { stream?: unknown } | undefined;
      if (typeof record?.stream === 'string') currentStream = record.stream;
    };
    return this.run(args, files, () => currentStream, signal, observe) as AsyncIterable<
      AirbyteMessageEnvelope[]
    >;
  }

  private run(
    args: readonly string[],
    files: Record<string, JsonValue>,
    currentStream: () => string,
    signal?: AbortSignal,
    observe?: (message: JsonObject) => void,
  ): AsyncIterable<JsonObject[]> {
    return withJsonFilesStreaming(files, (paths) =>
      childJsonLines({
        command: this.options.command,
        args: [
          ...(this.options.args ?? []),
          ...args.map((arg) => arg.replace(/^\{(\w+)\}$/, (_, name: string) => paths[name] ?? arg)),
        ],
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        connector: this.name,
        logger: this.logger,
        maxLineBytes: this.options.maxLineBytes ?? DEFAULT_MAX_CONNECTOR_LINE_BYTES,
        onInvalidLine: this.options.onInvalidLine ?? 'fail',
        currentStream,
        ...(signal ? { signal } : {}),
        ...(observe ? { observe } : {}),
      }),
    );
  }

  /** Runs a command and returns its one message of `type` (LOG/TRACE lines are logged). */
  private async single(
    args: readonly string[],
    files: Record<string, JsonValue>,
    type: string,
  ): Promise<JsonObject> {
    let found: JsonObject | undefined;
    let lastError = '';
    for await (const batch of this.run(args, files, () => '')) {
      for (const message of batch) {
        if (message.type === type) {
          found ??= message;
        } else if (message.type === 'LOG') {
          const log = message.log as { level?: string; message?: string } | undefined;
          this.logger.debug(String(log?.message ?? ''), { connector: this.name, level: log?.level });
        } else if (message.type === 'TRACE') {
          const trace = message.trace as { error?: { message?: string } } | undefined;
          if (trace?.error?.message) {
            lastError = trace.error.message;
            this.logger.error(lastError, { connector: this.name });
          }
        }
      }
    }
    if (!found) {
      throw new FlowConnectorError(
        'FLOW_CONNECTOR_OUTPUT',
        this.name,
        '',
        `'${args[0]}' produced no ${type} message${lastError ? ` (${lastError})` : ''}`,
      );
    }
    return found;
  }
}
