import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { CliUsageError } from '../errors/cli-usage-error';
import { ConfigValidationError } from '../errors/config-validation-error';
import { maskMessage } from '../internal/mask-message';
import { MessageWriter } from '../internal/message-writer';
import { CLI_USAGE, parseCliArgs } from '../internal/parse-cli-args';
import { SecretMasker } from '../internal/secret-masker';
import { parseJsonText } from '../json/parse-json-text';
import type { ConfiguredAirbyteCatalog, JsonObject } from '../protocol/airbyte-protocol';
import { catalogMessage, connectionStatusMessage, specMessage } from '../protocol/message-factories';
import { errorTraceFor, type ReadOptions, type Source } from '../source/source';
import { validateConfig } from '../source/validate-config';

/** Options of {@link runSourceCli}. */
export interface RunSourceCliOptions {
  /** Arguments after the program name. Default: `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Where messages go, one JSON per line. Default: `process.stdout`. */
  stdout?: Writable;
  /** Where usage help goes (never messages). Default: `process.stderr`. */
  stderr?: Writable;
  /** Read options other than `debug` (which comes from `--debug`). */
  readOptions?: Omit<ReadOptions, 'debug'>;
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
 * `read --config --catalog [--state]`, `--debug`) and resolves to the exit code: 0 on success, 1 when
 * the command failed (an ERROR trace explains why), 2 for a bad command line. Writes only Airbyte
 * messages to stdout, one per line, honouring backpressure; secrets from the config are masked in
 * every LOG and TRACE. The config is validated against the spec first (all problems listed).
 */
export async function runSourceCli<Config extends JsonObject>(
  source: Source<Config>,
  options: RunSourceCliOptions = {},
): Promise<number> {
  const writer = new MessageWriter(options.stdout ?? process.stdout);
  let masker = new SecretMasker([]);
  let exitCode = 0;
  try {
    const command = parseCliArgs(options.argv ?? process.argv.slice(2));
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
        for await (const batch of batches) await writer.writeMany(batch);
      }
    }
  } catch (error) {
    exitCode = CliUsageError.isInstance(error) ? 2 : 1;
    if (exitCode === 2) (options.stderr ?? process.stderr).write(`${CLI_USAGE}\n`);
    try {
      await writer.write(maskMessage(errorTraceFor(error), masker));
    } catch {
      // The output itself is broken (e.g. the reader went away): nothing more can be reported there.
    }
  }
  try {
    await writer.flush();
  } catch {
    return exitCode === 0 ? 1 : exitCode;
  }
  return exitCode;
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
