import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CliUsageError } from '../errors/cli-usage-error';
import { ConfigValidationError } from '../errors/config-validation-error';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { maskMessage } from '../internal/mask-message';
import { MessageWriter } from '../internal/message-writer';
import { CLI_USAGE, type CliCommand, parseCliArgs } from '../internal/parse-cli-args';
import { SecretMasker } from '../internal/secret-masker';
import { stateFromMessageLines } from '../internal/state-from-message-lines';
import { parseJsonText } from '../json/parse-json-text';
import type { ConfiguredAirbyteCatalog, JsonObject } from '../protocol/airbyte-protocol';
import { catalogMessage, connectionStatusMessage, specMessage } from '../protocol/message-factories';
import { errorTraceFor, type ReadOptions, type Source } from '../source/source';
import { validateConfig } from '../source/validate-config';
import { USAGE_EXIT_CODE, usageErrorLine } from './parse-command-line';
import { ProgressLine } from './progress-line';

/** Options of {@link runSourceCli}. */
export interface RunSourceCliOptions {
  /** Arguments after the program name. Default: `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Where messages go, one JSON per line. Default: `process.stdout`. */
  stdout?: Writable;
  /**
   * Where usage errors and the progress of `read` go (never messages): a live line when it is a
   * terminal, else a line every 5 s and a summary; none with `--quiet`. Default: `process.stderr`.
   */
  stderr?: Writable & { isTTY?: boolean; columns?: number };
  /**
   * What `--version` prints. Default: the version in the nearest `package.json` above the main
   * script (the source's own package), else this package's.
   */
  version?: string;
  /** The command's name in usage errors and progress. Default: the main script's file name. */
  program?: string;
  /** Read options other than `debug` (which comes from `--debug`). */
  readOptions?: Omit<ReadOptions, 'debug'>;
  /** Where `state-from-messages` reads messages without `--messages`. Default: `process.stdin`. */
  stdin?: Readable;
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${what} file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Never quote the text nor keep the parser's error (its message quotes the text): the secrets of a
  // config that does not parse cannot be masked, since nothing was parsed.
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new CliUsageError(`${what} file ${path} is not valid JSON: ${parsed.where}`);
  return parsed.value;
}

/**
 * Runs the standard source commands (`spec`, `check --config`, `discover --config`,
 * `read --config --catalog [--state]`, `--debug`, `--quiet`) and resolves to the exit code: 0 on
 * success, 1 when the command failed (an ERROR trace explains why), 2 for a bad command line (one line
 * naming the option on stderr, and an ERROR trace on stdout). `--help` prints the usage and `--version`
 * the version on stdout, exit 0. `read` shows its progress on stderr (see {@link ProgressLine}).
 *
 * `state-from-messages [--messages FILE] [--state FILE] [--catalog FILE] [--retry]` writes the
 * `--state` of the next read: the latest STATE of every stream in a read's output (FILE, else standard
 * input) applied over the state that read was given, as one JSON array on stdout; finished full
 * refresh states (and with `--catalog`, every full refresh stream's) are dropped unless `--retry`.
 * Its errors go to stderr, never to stdout. Writes only Airbyte
 * messages to stdout, one per line, honouring backpressure; secrets from the config are masked in
 * every LOG and TRACE. The config is validated against the spec first (all problems listed).
 */
export async function runSourceCli<Config extends JsonObject>(
  source: Source<Config>,
  options: RunSourceCliOptions = {},
): Promise<number> {
  const writer = new MessageWriter(options.stdout ?? process.stdout);
  const stderr = options.stderr ?? process.stderr;
  const program = options.program ?? programName();
  let masker = new SecretMasker([]);
  let exitCode = 0;
  let command: CliCommand | undefined;
  let progress: ProgressLine | undefined;
  try {
    const request = parseCliArgs(options.argv ?? process.argv.slice(2));
    if (request.command === 'help' || request.command === 'version') {
      const text =
        request.command === 'help' ? CLI_USAGE.replaceAll('<source>', program) : sourceVersion(options);
      await new Promise<void>((resolve) =>
        (options.stdout ?? process.stdout).write(`${text}\n`, () => resolve()),
      );
      return 0;
    }
    command = request;
    if (command.command === 'state-from-messages')
      return await writeStateFromMessages(command, options, program);
    const spec = await source.spec();
    if (command.command === 'spec') {
      await writer.write(specMessage(spec));
    } else {
      const config = (await readJsonFile(command.configPath, 'config')) as Config;
      masker = SecretMasker.fromSpec(spec.connectionSpecification, config);
      if (command.command === 'check') {
        try {
          validateConfig(spec, config);
          await writer.write(await source.check(config));
        } catch (error) {
          if (!ConfigValidationError.isInstance(error)) throw error;
          await writer.write(connectionStatusMessage(false, masker.mask(error.message)));
        }
      } else if (command.command === 'discover') {
        validateConfig(spec, config);
        await writer.write(catalogMessage(await source.discover(config)));
      } else if (command.command === 'read') {
        validateConfig(spec, config);
        const catalog = (await readJsonFile(command.catalogPath, 'catalog')) as ConfiguredAirbyteCatalog;
        const state =
          command.statePath === undefined ? undefined : await readJsonFile(command.statePath, 'state');
        const batches = source.readBatches(config, catalog, state, {
          ...options.readOptions,
          debug: command.debug,
        });
        progress = new ProgressLine({ stream: stderr, label: `${program} read`, quiet: command.quiet });
        let records = 0;
        for await (const batch of batches) {
          await writer.writeMany(batch);
          for (const message of batch) if (message.type === 'RECORD') records += 1;
          progress.update({ records, bytes: writer.bytesWritten });
        }
      }
    }
  } catch (error) {
    exitCode = CliUsageError.isInstance(error) ? USAGE_EXIT_CODE : 1;
    if (exitCode === USAGE_EXIT_CODE)
      stderr.write(usageErrorLine(program, masker.mask((error as Error).message)));
    try {
      await writer.write(maskMessage(errorTraceFor(error), masker));
    } catch {
      // The output itself is broken (e.g. the reader went away): nothing more can be reported there.
    }
  }
  try {
    await writer.flush();
  } catch {
    exitCode = exitCode === 0 ? 1 : exitCode;
  }
  if (progress !== undefined) {
    // The last batches were still buffered at the last update: the summary counts every byte.
    progress.update({ ...progress.counts, bytes: writer.bytesWritten });
    progress.finish(exitCode === 0 ? 'done' : 'failed');
  }
  return exitCode;
}

/** The main script's file name without its extension, e.g. `http-api-source`. */
function programName(): string {
  const main = process.argv[1];
  return main === undefined ? 'source' : basename(main, extname(main));
}

/** `options.version`, else the version of the package holding the main script, else this package's. */
function sourceVersion(options: RunSourceCliOptions): string {
  if (options.version !== undefined) return options.version;
  const starts = [process.argv[1], join(__dirname, 'run-source-cli.js')];
  for (const start of starts) {
    if (start === undefined) continue;
    for (let dir = dirname(start); ; dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
        if (typeof manifest.version === 'string') return manifest.version;
      } catch {
        // No readable package.json here: look further up.
      }
      if (dirname(dir) === dir) break;
    }
  }
  return 'unknown';
}

/** `state-from-messages`: the next `--state` on stdout, or an error on stderr (exit 1, or 2 for usage). */
async function writeStateFromMessages(
  command: Extract<CliCommand, { command: 'state-from-messages' }>,
  options: RunSourceCliOptions,
  program: string,
): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const previous =
      command.statePath === undefined ? undefined : await readJsonFile(command.statePath, 'state');
    let input: Readable;
    if (command.messagesPath === undefined) {
      input = options.stdin ?? process.stdin;
    } else {
      input = createReadStream(command.messagesPath, 'utf8');
      await new Promise<void>((resolve, reject) => {
        input.once('open', () => resolve());
        input.once('error', (error) =>
          reject(
            new CliUsageError(`cannot read messages file ${command.messagesPath}: ${error.message}`, {
              cause: error,
            }),
          ),
        );
      });
    }
    const catalog =
      command.catalogPath === undefined
        ? undefined
        : ((await readJsonFile(command.catalogPath, 'catalog')) as ConfiguredAirbyteCatalog);
    if (catalog !== undefined && !Array.isArray(catalog?.streams))
      throw new CliUsageError(`catalog file ${command.catalogPath} has no "streams" array`);
    const state = await stateFromMessageLines(input, previous, { retry: command.retry, catalog });
    await new Promise<void>((resolve, reject) =>
      stdout.write(`${JSON.stringify(state)}\n`, (error) => (error ? reject(error) : resolve())),
    );
    return 0;
  } catch (error) {
    const usage = CliUsageError.isInstance(error);
    const text = StreamCdkError.isInstance(error) ? error.message : `[CDK_STATE_INVALID] ${String(error)}`;
    stderr.write(usage ? usageErrorLine(program, text) : `${text}\n`);
    return usage ? USAGE_EXIT_CODE : 1;
  }
}

/**
 * Entry point for a source's bin script: runs {@link runSourceCli} on `process.argv` and sets
 * `process.exitCode` (never calls `process.exit`, so stdout is fully flushed).
 */
export async function launchSourceCli<Config extends JsonObject>(
  source: Source<Config>,
  options: Omit<RunSourceCliOptions, 'argv' | 'stdout' | 'stderr'> = {},
): Promise<void> {
  process.exitCode = await runSourceCli(source, options);
}
