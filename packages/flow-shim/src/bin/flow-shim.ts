#!/usr/bin/env node
// `flow-shim airbyte|singer [options] -- <command> [args...]`: an Airbyte source or a Singer tap as
// an Estuary Flow capture, without writing code. `flow-shim --help` lists the options.
import { CLI_USAGE_EXIT_CODE, type FlowShimCliCommand, parseFlowShimCli } from '../cli/flow-shim-cli';
import { main } from '../connector/run-capture-connector';
import { FlowCliUsageError } from '../errors/flow-cli-usage-error';

let command: FlowShimCliCommand | undefined;
try {
  command = parseFlowShimCli(process.argv.slice(2));
} catch (error) {
  if (!FlowCliUsageError.isInstance(error)) throw error;
  process.stderr.write(`flow-shim: ${error.message}\nRun 'flow-shim --help' for usage.\n`);
  process.exitCode = CLI_USAGE_EXIT_CODE;
}
if (command?.kind === 'help') {
  process.stdout.write(`${command.text}\n`);
} else if (command?.kind === 'run') {
  // The wrapped connector's arguments are not ours: `--log.level` is not read from them.
  main(command.connector, { argv: [], logger: command.logger });
}
