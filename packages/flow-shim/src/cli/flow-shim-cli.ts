import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliUsageError, parseCommandLine, USAGE_EXIT_CODE } from '@sdk/stream-cdk';
import { AirbyteCaptureShim } from '../airbyte/airbyte-capture-shim';
import { ExternalAirbyteDriver } from '../airbyte/external-airbyte-driver';
import type { CaptureConnector } from '../connector/capture-connector';
import { FlowCliUsageError } from '../errors/flow-cli-usage-error';
import { ConnectorLogger, type LogLevel, parseLogLevel } from '../io/connector-logger';
import type { InvalidKeyPolicy } from '../protocol/collection-key';
import type { JsonValue, OAuth2Spec } from '../protocol/flow-specs';
import { SingerCaptureShim } from '../singer/singer-capture-shim';

/** Exit code of a command line the CLI cannot run (unknown option, bad value, no command). */
export const CLI_USAGE_EXIT_CODE = USAGE_EXIT_CODE;

const commonHelp = `Options (both kinds):
  --checkpoints <mode>         merge-patch (default): per-binding RFC 7396 patches;
                               replace: the whole state each time (the Python flow_sdk layout)
  --explicit-acknowledgements  ask the runtime to acknowledge commits; read no further than one
                               unacknowledged checkpoint, exit only after the last is acknowledged
  --unknown-stream <policy>    a record or state of a stream that is not bound:
                               fail (default, FLOW_UNKNOWN_STREAM) or warn (log and skip)
  --invalid-key <policy>       a stream whose key Flow cannot use (number, object, array, untyped):
                               fail (default, FLOW_INVALID_KEY at discover) or row-id (key it by /_meta/row_id)
  --invalid-line <policy>      a stdout line of the connector that is not JSON: fail (default) or warn
  --no-schema-inference        do not mark discovered schemas "x-infer-schema": true
  --name <name>                the connector's name in logs and errors (default: the command's file name)
  --documentation-url <url>    documentationUrl of spec (default: $DOCS_URL, else the connector's own)
  --oauth2 <file|json>         OAuth2 spec returned by spec (a file path, or inline JSON)
  --max-line-bytes <bytes>     longest stdout line accepted from the connector (default 134217728)
  --env <NAME=VALUE>           extra environment for the connector (repeatable)
  --cwd <dir>                  working directory of the connector
  --log-level <level>          trace, debug, info, warn or error (default: $LOG_LEVEL, else info)
  --quiet                      no progress on stderr (by default a live line on a terminal, else an
                               info log line every 5 s, and a summary; NO_COLOR turns colour off)
  -h, --help                   show this help
  --version                    print the version`;

/** The `--help` text. */
export const FLOW_SHIM_CLI_HELP = `Usage:
  flow-shim airbyte [options] -- <command> [args...]
  flow-shim singer [options] -- <command> [args...]

Runs an Airbyte source or a Singer tap (an executable in any language) as an Estuary Flow capture
speaking the capture protocol on stdin/stdout (spec, discover, validate, apply, open, acknowledge).
Everything after "--" is the wrapped connector's command line; the shim appends the protocol's own
arguments (Airbyte: spec | check | discover | read --config --catalog [--state];
Singer: --config --discover | --config --catalog [--state]).

${commonHelp}

Singer only:
  --config-schema <file|json>  JSON schema of the tap's config, returned by spec (default {"type":"object"})
  --about                      take the config schema from the tap's "--about --format=json" settings

Examples:
  flow-shim airbyte -- source-faker
  flow-shim airbyte --checkpoints replace --unknown-stream warn -- python3 main.py
  flow-shim airbyte -- docker run --rm -i -v "\${TMPDIR:-/tmp}:\${TMPDIR:-/tmp}" airbyte/source-faker:6.2.10
  flow-shim singer --config-schema tap-config.schema.json -- tap-postgres
  flow-shim singer --about -- meltano-tap-x

Config, catalog and state reach the connector as temporary files (in $TMPDIR, default /tmp), so a
connector in a container needs that directory mounted at the same path.

Exit codes: 0 a clean end; 1 the capture failed (last stderr line: "connector failed: [CODE] ...");
2 a bad command line.`;

/** What a command line asks for. */
export type FlowShimCliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string }
  | {
      kind: 'run';
      connector: CaptureConnector;
      logger: ConnectorLogger;
      /** `airbyte` or `singer`. */
      connectorKind: 'airbyte' | 'singer';
      /** `--quiet`: no progress. */
      quiet: boolean;
    };

/** Options of {@link parseFlowShimCli}. */
export interface ParseFlowShimCliOptions {
  /** Where the logger writes each JSON line (ending in `\n`). Defaults to `process.stderr`. */
  writeLog?: (line: string) => void;
}

const options = {
  checkpoints: { type: 'string' },
  'explicit-acknowledgements': { type: 'boolean' },
  'unknown-stream': { type: 'string' },
  'invalid-key': { type: 'string' },
  'invalid-line': { type: 'string' },
  'no-schema-inference': { type: 'boolean' },
  name: { type: 'string' },
  'documentation-url': { type: 'string' },
  oauth2: { type: 'string' },
  'max-line-bytes': { type: 'string' },
  env: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  'log-level': { type: 'string' },
  'config-schema': { type: 'string' },
  about: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** This package's version (its package.json is two folders up from src/cli and dist/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function choice<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FlowCliUsageError(`--${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** A JSON option: inline JSON when it starts with `{`, else a file holding JSON. */
function jsonOption(option: string, value: string): JsonValue {
  const inline = value.trimStart().startsWith('{');
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new FlowCliUsageError(`--${option}: cannot read '${value}' (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new FlowCliUsageError(
      `--${option}: ${inline ? 'the value' : `'${value}'`} is not JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/**
 * Reads a `flow-shim` command line (without the node and script arguments) into the capture it
 * runs. Throws {@link FlowCliUsageError} (`FLOW_CLI_USAGE`) for an unknown option, a bad value, a
 * missing kind or a missing command after `--`; nothing is started.
 */
export function parseFlowShimCli(
  argv: readonly string[],
  parseOptions: ParseFlowShimCliOptions = {},
): FlowShimCliCommand {
  const terminator = argv.indexOf('--');
  const own = terminator === -1 ? [...argv] : argv.slice(0, terminator);
  const wrapped = terminator === -1 ? [] : argv.slice(terminator + 1);
  let parsed: ReturnType<typeof parseCommandLine<typeof options>>;
  try {
    parsed = parseCommandLine(own, { options });
  } catch (error) {
    if (!CliUsageError.isInstance(error)) throw error;
    // The stream-cdk error's text without its code: this package's usage error carries its own.
    const message = error.message.replace(/^\[[A-Z_]+\] /, '');
    throw new FlowCliUsageError(
      message.startsWith('unknown option')
        ? `${message} (the shim's options go before '--', the connector's own arguments after it)`
        : message,
      { cause: error },
    );
  }
  const { values, positionals } = parsed;
  if (parsed.help) return { kind: 'help', text: FLOW_SHIM_CLI_HELP };
  if (parsed.version) return { kind: 'version', text: packageVersion() };
  const [kind, ...extra] = positionals;
  if (kind !== 'airbyte' && kind !== 'singer') {
    throw new FlowCliUsageError(
      kind === undefined
        ? "say which kind of connector to wrap: 'airbyte' or 'singer'"
        : `unknown connector kind '${kind}': use 'airbyte' or 'singer'`,
    );
  }
  if (extra.length > 0) {
    throw new FlowCliUsageError(`unexpected argument '${extra[0]}': the connector's command goes after '--'`);
  }
  const [command, ...args] = wrapped;
  if (command === undefined || command === '') {
    throw new FlowCliUsageError(
      `give the connector's command after '--', e.g. 'flow-shim ${kind} -- ./source-x'`,
    );
  }
  if (kind === 'airbyte' && (values['config-schema'] !== undefined || values.about)) {
    throw new FlowCliUsageError(
      '--config-schema and --about are for Singer taps; an Airbyte source answers spec itself',
    );
  }
  if (values['config-schema'] !== undefined && values.about) {
    throw new FlowCliUsageError('give --config-schema or --about, not both');
  }

  const checkpoints = choice('checkpoints', values.checkpoints, ['merge-patch', 'replace'] as const);
  const onUnknownStream = choice('unknown-stream', values['unknown-stream'], ['fail', 'warn'] as const);
  const onInvalidKey = choice<InvalidKeyPolicy>('invalid-key', values['invalid-key'], ['fail', 'row-id']);
  const onInvalidLine = choice('invalid-line', values['invalid-line'], ['fail', 'warn'] as const);
  let maxLineBytes: number | undefined;
  if (values['max-line-bytes'] !== undefined) {
    maxLineBytes = Number(values['max-line-bytes']);
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes <= 0) {
      throw new FlowCliUsageError(
        `--max-line-bytes must be a positive integer, got '${values['max-line-bytes']}'`,
      );
    }
  }
  let env: Record<string, string> | undefined;
  for (const assignment of values.env ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new FlowCliUsageError(`--env must look like NAME=VALUE, got '${assignment}'`);
    env = { ...env, [assignment.slice(0, equals)]: assignment.slice(equals + 1) };
  }
  let logLevel: LogLevel | undefined;
  if (values['log-level'] !== undefined) {
    logLevel = parseLogLevel(values['log-level']);
    if (logLevel === undefined) {
      throw new FlowCliUsageError(
        `--log-level must be trace, debug, info, warn or error, got '${values['log-level']}'`,
      );
    }
  }
  let oauth2: OAuth2Spec | undefined;
  if (values.oauth2 !== undefined) {
    const value = jsonOption('oauth2', values.oauth2);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FlowCliUsageError('--oauth2 must be a JSON object (the Flow OAuth2 spec)');
    }
    oauth2 = value as unknown as OAuth2Spec;
  }

  const logger = new ConnectorLogger({
    ...(logLevel ? { level: logLevel } : {}),
    ...(parseOptions.writeLog ? { write: parseOptions.writeLog } : {}),
  });
  const quiet = values.quiet === true;
  const shared = {
    ...(checkpoints ? { mergePatch: checkpoints === 'merge-patch' } : {}),
    ...(values['explicit-acknowledgements'] ? { explicitAcknowledgements: true } : {}),
    ...(onUnknownStream ? { onUnknownStream } : {}),
    ...(onInvalidKey ? { onInvalidKey } : {}),
    ...(values['no-schema-inference'] ? { schemaInference: false } : {}),
    ...(values['documentation-url'] !== undefined ? { documentationUrl: values['documentation-url'] } : {}),
    ...(oauth2 ? { oauth2 } : {}),
  };
  const child = {
    command,
    args,
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(env ? { env } : {}),
    ...(values.cwd !== undefined ? { cwd: values.cwd } : {}),
    ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
    ...(onInvalidLine ? { onInvalidLine } : {}),
  };
  if (kind === 'airbyte') {
    const driver = new ExternalAirbyteDriver({ ...child, logger });
    return {
      kind: 'run',
      connector: new AirbyteCaptureShim(driver, shared),
      logger,
      connectorKind: kind,
      quiet,
    };
  }
  const configSchema =
    values['config-schema'] === undefined ? undefined : jsonOption('config-schema', values['config-schema']);
  return {
    kind: 'run',
    connector: new SingerCaptureShim({
      ...child,
      ...shared,
      ...(configSchema === undefined ? {} : { configSchema }),
      ...(values.about ? { configSchemaFromAbout: true } : {}),
    }),
    logger,
    connectorKind: kind,
    quiet,
  };
}
