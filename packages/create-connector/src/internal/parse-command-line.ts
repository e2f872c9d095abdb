import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors/usage-error';

// The command-line convention every @sdk bin follows (the same as stream-cdk's exported
// parseCommandLine; this package may import no other @sdk package): Node's util.parseArgs in strict
// mode, `-h`/`--help` and `--version` added, the first problem named by its option.

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
 * @throws UsageError (`CREATE_CONNECTOR_USAGE`) naming the option for an unknown option, a missing
 * value or a value given to a switch; never quoting a value.
 */
export function parseCommandLine(argv: readonly string[], options: CommandLineOptions): ParsedArguments {
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
    throw new UsageError(diagnose(argv, declared, error as Error), { cause: error });
  }
}

/**
 * One line naming the offending argument. Node's own messages span several lines and vary between
 * versions, so the arguments are read again without strictness and the first problem described.
 */
function diagnose(args: readonly string[], options: CommandLineOptions, error: Error): string {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const declared = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (declared === undefined) return `unknown option '${token.rawName}'`;
    if (declared.type === 'boolean' && token.value !== undefined)
      return `option '${token.rawName}' takes no value`;
    if (declared.type === 'string') {
      if (token.value === undefined) return `option '${token.rawName}' needs a value`;
      if (!token.inlineValue && token.value.startsWith('-'))
        return `option '${token.rawName}' needs a value (one that starts with '-' goes as ${token.rawName}=VALUE)`;
    }
  }
  return (error.message.split('\n')[0] as string).trim();
}
