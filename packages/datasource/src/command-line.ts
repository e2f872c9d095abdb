import type { DataSourceConfig } from './data-source-config';
import { IncorrectParamError, type ParamIssue } from './errors/incorrect-param-error';
import { isSecretParam } from './validate-params';

/** Result of {@link parseParamsCommandLine}. */
export interface ParsedCommandLine {
  /** Parameter values as strings (or `true`/`false` for bare boolean flags); validate them next. */
  readonly params: Record<string, unknown>;
  /** Arguments that are not flags, in order. */
  readonly positionals: readonly string[];
  /** Values of the extra flags the caller declared (`extraFlags`), by flag name. */
  readonly extra: Record<string, string | true>;
  /** Every value of each repeatable flag (`repeatableFlags`), in order; absent flags map to none. */
  readonly repeated: Record<string, readonly string[]>;
  /** `--help` or `-h` was given. */
  readonly help: boolean;
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
 * Parses `--name value`, `--name=value`, and for boolean parameters `--name` / `--no-name`, where
 * `name` is a `CONFIG.params` name. Unknown flags and missing values fail with one
 * {@link IncorrectParamError} listing every problem.
 */
export function parseParamsCommandLine(
  config: DataSourceConfig,
  argv: readonly string[],
  options: ParseCommandLineOptions = {},
): ParsedCommandLine {
  const byName = new Map(config.params.map((param) => [param.name, param]));
  const extraFlags = new Set(options.extraFlags ?? []);
  const extraSwitches = new Set(options.extraSwitches ?? []);
  const repeatableFlags = new Set(options.repeatableFlags ?? []);
  const repeated: Record<string, string[]> = {};
  const params: Record<string, unknown> = {};
  const extra: Record<string, string | true> = {};
  const positionals: string[] = [];
  const issues: ParamIssue[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--help' || argument === '-h') {
      help = true;
      continue;
    }
    if (!argument.startsWith('--') || argument === '--') {
      if (argument !== '--') positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const flag = argument.slice(2, equals === -1 ? undefined : equals);
    const inline = equals === -1 ? undefined : argument.slice(equals + 1);
    if (extraSwitches.has(flag)) {
      extra[flag] = true;
      continue;
    }
    const negated = flag.startsWith('no-') ? byName.get(flag.slice(3)) : undefined;
    if (negated?.type === 'boolean' && inline === undefined) {
      params[negated.name] = false;
      continue;
    }
    const param = byName.get(flag);
    if (param === undefined && !extraFlags.has(flag) && !repeatableFlags.has(flag)) {
      issues.push({ param: flag, problem: 'is not a parameter of this data source (see --help)' });
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[index + 1];
      if (param?.type === 'boolean' && (next === undefined || next.startsWith('--'))) {
        params[param.name] = true;
        continue;
      }
      if (next === undefined || next.startsWith('--')) {
        issues.push({ param: flag, problem: 'needs a value' });
        continue;
      }
      value = next;
      index++;
    }
    if (param === undefined && repeatableFlags.has(flag)) repeated[flag] = [...(repeated[flag] ?? []), value];
    else if (param === undefined) extra[flag] = value;
    else params[param.name] = value;
  }
  if (issues.length > 0) {
    const summary = issues.map((issue) => `--${issue.param} ${issue.problem}`).join('; ');
    throw new IncorrectParamError(`invalid command line for ${config.title}: ${summary}`, issues);
  }
  return { params, positionals, extra, repeated, help };
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
