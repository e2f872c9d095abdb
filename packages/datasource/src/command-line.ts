import type { DataSourceConfig } from './data-source-config';
import { type CommandLineOptions, parseCommandLine } from './internal/parse-command-line';
import { isSecretParam } from './validate-params';

/** Result of {@link parseParamsCommandLine}. */
export interface ParsedCommandLine {
  /** Parameter values as strings (or `true`/`false` for boolean switches); validate them next. */
  readonly params: Record<string, unknown>;
  /** Arguments that are not flags, in order. */
  readonly positionals: readonly string[];
  /** Values of the extra flags the caller declared (`extraFlags`), by flag name. */
  readonly extra: Record<string, string | true>;
  /** Every value of each repeatable flag (`repeatableFlags`), in order; absent flags map to none. */
  readonly repeated: Record<string, readonly string[]>;
  /** `--help` or `-h` was given. */
  readonly help: boolean;
  /** `--version` was given. */
  readonly version: boolean;
}

/** Options of {@link parseParamsCommandLine}. */
export interface ParseCommandLineOptions {
  /** Flags that are not data source parameters (e.g. the runner's `state-file`), with a value. */
  extraFlags?: readonly string[];
  /** Extra flags that take no value. */
  extraSwitches?: readonly string[];
  /** Extra flags with a value that may be given several times (e.g. the runner's `option`). */
  repeatableFlags?: readonly string[];
}

/**
 * Parses `--name value` and `--name=value`, and for boolean parameters the switches `--name` and
 * `--no-name`, where `name` is a `CONFIG.params` name, with Node's `util.parseArgs` (strict);
 * `-h`/`--help` and `--version` are recognised. Unknown flags, missing values and values given to a
 * switch fail with one {@link IncorrectParamError} listing every problem.
 */
export function parseParamsCommandLine(
  config: DataSourceConfig,
  argv: readonly string[],
  options: ParseCommandLineOptions = {},
): ParsedCommandLine {
  const declared: CommandLineOptions = {};
  const negations = new Map<string, string>();
  for (const param of config.params) {
    if (param.type === 'boolean') {
      declared[param.name] = { type: 'boolean' };
      declared[`no-${param.name}`] = { type: 'boolean' };
      negations.set(`no-${param.name}`, param.name);
    } else {
      declared[param.name] = { type: 'string' };
    }
  }
  for (const flag of options.extraFlags ?? []) declared[flag] = { type: 'string' };
  for (const flag of options.extraSwitches ?? []) declared[flag] = { type: 'boolean' };
  for (const flag of options.repeatableFlags ?? []) declared[flag] = { type: 'string', multiple: true };
  const parsed = parseCommandLine(argv, declared, config.title);
  const params: Record<string, unknown> = {};
  const extra: Record<string, string | true> = {};
  const repeated: Record<string, readonly string[]> = {};
  const paramNames = new Set(config.params.map((param) => param.name));
  for (const [flag, value] of Object.entries(parsed.values)) {
    if (value === undefined) continue;
    const negated = negations.get(flag);
    if (negated !== undefined) params[negated] = false;
    else if (paramNames.has(flag)) params[flag] = value;
    else if (Array.isArray(value)) repeated[flag] = value.map(String);
    else extra[flag] = value === true ? true : String(value);
  }
  return {
    params,
    positionals: parsed.positionals,
    extra,
    repeated,
    help: parsed.help,
    version: parsed.version,
  };
}

/** Usage text generated from `CONFIG.params`: one line per flag with its type, default and help. */
export function formatParamsHelp(config: DataSourceConfig, usageLine = ''): string {
  const lines = [config.title, ''];
  if (usageLine !== '') lines.push(`Usage: ${usageLine}`, '');
  lines.push('Parameters:');
  for (const param of config.params) {
    const type = param.type ?? 'string';
    const value = type === 'boolean' ? '' : ` <${param.placeholder ?? type}>`;
    const notes: string[] = [];
    if (param.required === true && param.default === undefined) notes.push('required');
    if (param.default !== undefined && !isSecretParam(param))
      notes.push(`default ${JSON.stringify(param.default)}`);
    if (isSecretParam(param)) notes.push('secret');
    if (param.values !== undefined && param.values.length > 0) {
      notes.push(`one of ${param.values.map((choice) => String(choice.value)).join('|')}`);
    }
    const text = [param.title, param.help ?? param.description]
      .filter((part) => part !== undefined)
      .join(': ');
    const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    lines.push(`  --${param.name}${value}  ${text}${suffix}`);
  }
  return lines.join('\n');
}
