import { parseCommandLine } from '../cli/parse-command-line';
import { CliUsageError } from '../errors/cli-usage-error';

/** The parsed command line of a source. */
export type CliCommand =
  | { command: 'spec'; debug: boolean }
  | { command: 'check' | 'discover'; configPath: string; debug: boolean }
  | {
      command: 'read';
      configPath: string;
      catalogPath: string;
      statePath: string | undefined;
      debug: boolean;
      /** No progress on stderr. */
      quiet: boolean;
    }
  | {
      command: 'state-from-messages';
      /** Messages of a read, one JSON per line; undefined: standard input. */
      messagesPath: string | undefined;
      /** The `--state` the read was given, whose other streams are kept. */
      statePath: string | undefined;
      /** The read's configured catalog: its full refresh streams start over (unless `retry`). */
      catalogPath: string | undefined;
      /** The next run retries this one: keep every state, finished ones included. */
      retry: boolean;
      debug: boolean;
    };

/** A command line that asks for the usage or the version instead of a command. */
export type CliInfoRequest = { command: 'help' } | { command: 'version' };

/** Usage text of the standard source commands. */
export const CLI_USAGE = `usage: <source> spec
       <source> check --config FILE
       <source> discover --config FILE
       <source> read --config FILE --catalog FILE [--state FILE] [--debug] [--quiet]
       <source> state-from-messages [--messages FILE] [--state FILE] [--catalog FILE] [--retry]
       <source> --help | --version

  --debug    DEBUG logs and slice logs in the output
  --quiet    no progress on stderr (read shows a live line on a terminal, else a line every 5 s)`;

const OPTIONS = {
  config: { type: 'string' },
  catalog: { type: 'string' },
  state: { type: 'string' },
  messages: { type: 'string' },
  debug: { type: 'boolean' },
  quiet: { type: 'boolean' },
  retry: { type: 'boolean' },
} as const;

/**
 * Parses `spec | check --config F | discover --config F | read --config F --catalog F [--state F]` and
 * `state-from-messages [--messages F] [--state F] [--catalog F] [--retry]`, plus `--debug` and
 * `--quiet` (accepted by every command), `--help` and `--version`, with {@link parseCommandLine}.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand | CliInfoRequest {
  const parsed = parseCommandLine(argv, { options: OPTIONS });
  if (parsed.help) return { command: 'help' };
  if (parsed.version) return { command: 'version' };
  const { debug = false, quiet = false, retry = false, ...files } = parsed.values;
  const flags = new Map(
    Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const positional = parsed.positionals;
  if (positional.length !== 1)
    throw new CliUsageError(`expected exactly one command, got ${positional.length}`);
  const command = positional[0];
  const need = (flag: string): string => {
    const value = flags.get(flag);
    if (value === undefined) throw new CliUsageError(`${command} needs --${flag}`);
    return value;
  };
  const allowOnly = (...allowed: string[]): void => {
    for (const flag of flags.keys()) {
      if (!allowed.includes(flag)) throw new CliUsageError(`${command} does not take --${flag}`);
    }
  };
  if (retry && command !== 'state-from-messages') throw new CliUsageError(`${command} does not take --retry`);
  switch (command) {
    case 'spec':
      allowOnly();
      return { command, debug };
    case 'check':
    case 'discover':
      allowOnly('config');
      return { command, configPath: need('config'), debug };
    case 'read':
      allowOnly('config', 'catalog', 'state');
      return {
        command,
        configPath: need('config'),
        catalogPath: need('catalog'),
        statePath: flags.get('state'),
        debug,
        quiet,
      };
    case 'state-from-messages':
      allowOnly('messages', 'state', 'catalog');
      return {
        command,
        messagesPath: flags.get('messages'),
        statePath: flags.get('state'),
        catalogPath: flags.get('catalog'),
        retry,
        debug,
      };
    default:
      throw new CliUsageError(`unknown command ${JSON.stringify(command)}`);
  }
}
