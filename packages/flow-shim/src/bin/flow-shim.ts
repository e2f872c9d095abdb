#!/usr/bin/env node
// `flow-shim airbyte|singer [options] -- <command> [args...]`: an Airbyte source or a Singer tap as
// an Estuary Flow capture, without writing code. `flow-shim --help` lists the options.
import { ProgressLine, usageErrorLine } from '@sdk/stream-cdk';
import { CLI_USAGE_EXIT_CODE, type FlowShimCliCommand, parseFlowShimCli } from '../cli/flow-shim-cli';
import { main } from '../connector/run-capture-connector';
import { FlowCliUsageError } from '../errors/flow-cli-usage-error';

// Log lines go through the progress line once it exists, so that they never garble its live line.
let progress: ProgressLine | undefined;
const writeLog = (line: string): void => {
  if (progress === undefined) process.stderr.write(line);
  else progress.log(line.endsWith('\n') ? line.slice(0, -1) : line);
};

let command: FlowShimCliCommand | undefined;
try {
  command = parseFlowShimCli(process.argv.slice(2), { writeLog });
} catch (error) {
  if (!FlowCliUsageError.isInstance(error)) throw error;
  process.stderr.write(usageErrorLine('flow-shim', error.message));
  process.exitCode = CLI_USAGE_EXIT_CODE;
}
if (command?.kind === 'help' || command?.kind === 'version') {
  process.stdout.write(`${command.text}\n`);
} else if (command?.kind === 'run') {
  const { logger } = command;
  // Stdout speaks the capture protocol and stderr carries JSON log lines the runtime reads: off a
  // terminal, progress is an info log line like any other.
  const { connectorKind, quiet } = command;
  const startProgress = (): ProgressLine => {
    progress = new ProgressLine({
      label: `flow-shim ${connectorKind}`,
      quiet,
      plainLine: (text) => logger.info(text),
    });
    return progress;
  };
  // The wrapped connector's arguments are not ours: `--log.level` is not read from them.
  main(command.connector, { argv: [], logger, progress: startProgress });
}
