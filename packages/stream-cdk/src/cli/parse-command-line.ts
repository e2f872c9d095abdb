import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliUsageError } from '../errors/cli-usage-error';

/** The options a command declares, in `util.parseArgs` form (`--help` and `--version` are added). */
export type CommandLineOptions = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandLine} reads. */
export interface CommandLineSpec<Options extends CommandLineOptions> {
  /** The command's options; `help` (`-h`) and `version` are added and must not be declared. */
  readonly options: Options;
  /** Whether arguments that are not options are accepted. Defaults to true. */
  readonly allowPositionals?: boolean;
  /**
   * Options whose value may start with a dash when given as the next argument (e.g. a Node option
   * handed on: `--node-arg --inspect`). Strict parsing refuses such values as ambiguous otherwise.
   * Defaults to none.
   */
  readonly dashValueOptions?: readonly string[];
}

type Declared<Options extends CommandLineOptions> = Options & {
  help: { type: 'boolean'; short: 'h' };
  version: { type: 'boolean' };
};

type Parsed<Options extends CommandLineOptions> = ReturnType<
  typeof parseArgs<{ options: Declared<Options>; allowPositionals: true; strict: true }>
>;

/** A command line read by {@link parseCommandLine}. */
export interface ParsedCommandLine<Options extends CommandLineOptions> {
  /** `--help` or `-h` was given: print the usage on stdout and exit 0. */
  readonly help: boolean;
  /** `--version` was given: print the version on stdout and exit 0. */
  readonly version: boolean;
  /** The options' values (absent options are undefined; `multiple` options are arrays). */
  readonly values: Omit<Parsed<Options>['values'], 'help' | 'version'>;
  /** The arguments that are not options, in order, including those after `--`. */
  readonly positionals: readonly string[];
}

/**
 * Reads a command line with Node's `util.parseArgs` in strict mode, the convention every `@sdk` bin
 * follows: `--name value` and `--name=value`, `-h`/`--help`, `--version`, `--` ends the options.
 * Values are strings; check them after parsing.
 *
 * @throws CliUsageError (`CDK_CLI_USAGE`) naming the option for an unknown option, a missing value,
 * a value given to a switch, or an argument where none is accepted.
 */
export function parseCommandLine<const Options extends CommandLineOptions>(
  argv: readonly string[],
  spec: CommandLineSpec<Options>,
): ParsedCommandLine<Options> {
  const options = {
    ...spec.options,
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  } as Declared<Options>;
  const args = joinDashValues(argv, spec.dashValueOptions ?? []);
  const allowPositionals = spec.allowPositionals ?? true;
  let parsed: Parsed<Options>;
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true }) as Parsed<Options>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    throw new CliUsageError(diagnose(args, options, allowPositionals, error as Error), { cause: error });
  }
  const { help, version, ...values } = parsed.values as Record<string, unknown>;
  return {
    help: help === true,
    version: version === true,
    values: values as ParsedCommandLine<Options>['values'],
    positionals: parsed.positionals,
  };
}

/** `--name value` becomes `--name=value` for the options whose values may start with a dash. */
function joinDashValues(argv: readonly string[], names: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') {
      args.push(...argv.slice(index));
      break;
    }
    const next = argv[index + 1];
    if (arg.startsWith('--') && names.includes(arg.slice(2)) && next !== undefined) {
      args.push(`${arg}=${next}`);
      index += 1;
    } else {
      args.push(arg);
    }
  }
  return args;
}

/**
 * One line naming the offending argument. Node's own messages span several lines and vary between
 * versions, so the arguments are read again without strictness and the first problem is described.
 */
function diagnose(
  args: readonly string[],
  options: CommandLineOptions,
  allowPositionals: boolean,
  error: Error,
): string {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!allowPositionals) return `unexpected argument '${token.value}'`;
      continue;
    }
    if (token.kind !== 'option') continue;
    const declared = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (declared === undefined) return `unknown option '${token.rawName}'`;
    if (declared.type === 'boolean' && token.value !== undefined)
      return `option '${token.rawName}' takes no value`;
    if (declared.type === 'string') {
      if (token.value === undefined) return `option '${token.rawName}' needs a value`;
      if (!token.inlineValue && token.value.startsWith('-'))
        // Never quote the value: it may be a secret.
        return `option '${token.rawName}' needs a value (one that starts with '-' goes as ${token.rawName}=VALUE)`;
    }
  }
  return (error.message.split('\n')[0] as string).trim();
}

/** The one line a bin prints on stderr for a usage error, before exiting with {@link USAGE_EXIT_CODE}. */
export function usageErrorLine(program: string, message: string): string {
  return `${program}: ${message}; see '${program} --help'\n`;
}

/** Exit code of a command line that cannot run (unknown option, missing or bad value). */
export const USAGE_EXIT_CODE = 2;
