import { type ParseArgsConfig, parseArgs } from 'node:util';
import { TransportError } from '../errors/transport-error.js';

// The command-line convention every @sdk bin follows (the same as stream-cdk's exported
// parseCommandLine; this package may not import that one): Node's util.parseArgs in strict mode,
// `-h`/`--help` and `--version` added, the first problem named by its option.

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

/** A command line that cannot run; the harness exits 2 for it. */
export class CommandLineError extends TransportError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('TRANSPORT_CONFIG', message, options);
  }
}

/**
 * Reads `argv` with `util.parseArgs` (strict, positionals allowed). `dashValueOptions` may take a
 * value that starts with a dash as the next argument (e.g. `--node-arg --inspect`).
 *
 * @throws CommandLineError (`TRANSPORT_CONFIG`) naming the option for an unknown option, a missing
 * value or a value given to a switch; never quoting a value.
 */
export function parseCommandLine(
  argv: readonly string[],
  options: CommandLineOptions,
  dashValueOptions: readonly string[] = [],
): ParsedArguments {
  const declared: CommandLineOptions = {
    ...options,
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  };
  const args = joinDashValues(argv, dashValueOptions);
  try {
    const parsed = parseArgs({ args, options: declared, allowPositionals: true, strict: true });
    const { help, version, ...values } = parsed.values;
    return { help: help === true, version: version === true, values, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    throw new CommandLineError(diagnose(args, declared, error as Error), { cause: error });
  }
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
