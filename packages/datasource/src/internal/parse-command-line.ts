import { type ParseArgsConfig, parseArgs } from 'node:util';
import { IncorrectParamError, type ParamIssue } from '../errors/incorrect-param-error';

// The command-line convention every @sdk bin follows (the same as stream-cdk's exported
// parseCommandLine; this package may not import that one): Node's util.parseArgs in strict mode,
// `-h`/`--help` and `--version` added, and each problem named by its option.

/** The options a command declares, in `util.parseArgs` form (`--help` and `--version` are added). */
export type CommandLineOptions = NonNullable<ParseArgsConfig['options']>;

/** A command line read by {@link parseCommandLine}. */
export interface ParsedArguments {
  /** `--help` or `-h` was given. */
  readonly help: boolean;
  /** `--version` was given. */
  readonly version: boolean;
  /** Values by option name: strings, `true` for switches, arrays for `multiple` options. */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  /** Arguments that are not options, in order, including those after `--`. */
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` with `util.parseArgs` (strict, positionals allowed).
 *
 * @throws IncorrectParamError (`DATASOURCE_INCORRECT_PARAM`) listing every unknown option, missing
 * value and value given to a switch, each named by its option; never quoting a value.
 */
export function parseCommandLine(
  argv: readonly string[],
  options: CommandLineOptions,
  what: string,
): ParsedArguments {
  const declared: CommandLineOptions = {
    ...options,
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  };
  try {
    const parsed = parseArgs({ args: [...argv], options: declared, allowPositionals: true, strict: true });
    const { help, version, ...values } = parsed.values;
    return { help: help === true, version: version === true, values, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    const issues = diagnose(argv, declared);
    if (issues.length === 0) {
      issues.push({ param: '', problem: ((error as Error).message.split('\n')[0] as string).trim() });
    }
    const summary = issues.map((issue) => `--${issue.param} ${issue.problem}`).join('; ');
    throw new IncorrectParamError(`invalid command line for ${what}: ${summary}`, issues);
  }
}

/**
 * Every problem, named by its option. Node's own messages span several lines and vary between
 * versions, so the arguments are read again without strictness and each option token checked.
 */
function diagnose(argv: readonly string[], options: CommandLineOptions): ParamIssue[] {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const issues: ParamIssue[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const declared = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (declared === undefined) {
      issues.push({ param: token.name, problem: 'is not a parameter of this data source (see --help)' });
    } else if (declared.type === 'boolean' && token.value !== undefined) {
      issues.push({ param: token.name, problem: 'takes no value' });
    } else if (declared.type === 'string' && token.value === undefined) {
      issues.push({ param: token.name, problem: 'needs a value' });
    } else if (declared.type === 'string' && !token.inlineValue && (token.value as string).startsWith('-')) {
      // The value may be a secret: the message tells how to pass it, never what it was.
      issues.push({
        param: token.name,
        problem: `needs a value (one that starts with '-' goes as --${token.name}=VALUE)`,
      });
    }
  }
  return issues;
}
