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

/** Usage text of the standard source commands. */
export const CLI_USAGE =
  'usage: <source> spec | check --config FILE | discover --config FILE | read --config FILE --catalog FILE [--state FILE] [--debug] | state-from-messages [--messages FILE] [--state FILE] [--catalog FILE] [--retry]';

/**
 * Parses `spec | check --config F | discover --config F | read --config F --catalog F [--state F]` and
 * `state-from-messages [--messages F] [--state F] [--catalog F] [--retry]`, plus `--debug`.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const flags = new Map<string, string>();
  let debug = false;
  let retry = false;
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--debug') {
      debug = true;
    } else if (arg === '--retry') {
      retry = true;
    } else if (arg === '--config' || arg === '--catalog' || arg === '--state' || arg === '--messages') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) throw new CliUsageError(`${arg} needs a file path`);
      flags.set(arg.slice(2), value);
      index++;
    } else if (arg.startsWith('--')) {
      throw new CliUsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
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
