import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliUsageError, type CommandLineOptions, parseCommandLine, type TextMasker } from '@sdk/stream-cdk';
import { DuckDbSyncError } from '../errors/duckdb-sync-error';
import { formatTable, queryDatabase } from '../query-database';
import { type SyncAmpInputToolOptions, syncAmpInputTool } from '../sync-amp-input-tool';
import { syncFlowCaptureCommand } from '../sync-flow-capture-command';
import type { SyncProgress, SyncResult } from '../sync-messages';
import { readConfigFile, type SyncSourceCommandOptions, syncSourceCommand } from '../sync-source-command';

/** Where {@link runDuckDbSyncCli} writes; defaults to the process's own streams. */
export interface DuckDbSyncCliIo {
  /** Query output only. */
  readonly stdout: NodeJS.WritableStream;
  /** Progress, the summary, logs and errors. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Between plain progress lines when stderr is not a terminal, in milliseconds. Defaults to 5_000. */
  readonly progressIntervalMs?: number;
  /**
   * Stops a running sync cleanly when aborted (the bin aborts it on the first SIGINT or SIGTERM): the
   * checkpoints committed so far stay, the summary is printed and the exit code is 0. Defaults to none.
   */
  readonly signal?: AbortSignal;
}

export const DUCKDB_SYNC_USAGE = `Usage:
  sdk-duckdb-sync sync --db <file.duckdb> --config <config.json> [--streams a,b] [--protocol airbyte|flow]
                       [--idle-timeout <seconds>] -- <source command...>
  sdk-duckdb-sync sync --protocol amp --db <file.duckdb> --config <tool-config.xml> --anchors a,b
                       [--primary-key a=id[+other]]... (-- <tool command...> | --address <host:port>)
  sdk-duckdb-sync query --db <file.duckdb> "<sql>"
  sdk-duckdb-sync --help | --version

sync   runs a source into the DuckDB file, resuming from the state stored there, and prints progress
       and a summary of the tables on stderr. --protocol airbyte (the default): an Airbyte source
       (spec, discover, read); --protocol flow: an Estuary Flow capture (spec, discover, validate, open).
       --idle-timeout (flow only) stops the session once the capture has sent nothing for that long.
       --protocol amp: an AMP-style input tool (a command printing "ListenPort: <port>", or a running
       one at --address, its token in SDK_PLUGIN_AUTH_TOKEN), one table per outgoing anchor from its
       Arrow batches, deduplicated on --primary-key where given; --config is its configuration XML.
       SIGINT or SIGTERM (Ctrl-C) stops a sync cleanly: the checkpoints committed so far are kept, the
       records after the last one are read again by the next sync; a second signal exits at once.
       Progress on stderr: a live line on a terminal (redrawn at most 10 times a second), else a line
       every 5 s; --quiet turns it off.
query  runs one SQL statement on the file (read-only) and prints the result as a table on stdout.

Exit codes: 0 success, 1 the sync or query failed (committed checkpoints are kept), 2 bad usage (one
line on stderr naming the problem).
`;

const PROGRAM = 'sdk-duckdb-sync';

/** This package's version (its package.json is two folders up from src/cli and dist/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

class UsageError extends Error {}

/**
 * The `sdk-duckdb-sync` command line. Returns the exit code: 0 on success, 1 when the sync or the query
 * failed, 2 on bad usage (unknown options, missing arguments). Writes nothing to stdout but query output;
 * every line it prints on stderr has the source's `airbyte_secret` values masked.
 */
export async function runDuckDbSyncCli(
  argv: readonly string[],
  io: DuckDbSyncCliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let masker: TextMasker = { mask: (text) => text };
  const say = (text: string) => io.stderr.write(`${masker.mask(text)}\n`);
  try {
    const [command, ...rest] = argv;
    const commandSplit = rest.indexOf('--');
    const own = commandSplit < 0 ? rest : rest.slice(0, commandSplit);
    // Usage and version on stdout, as every @sdk bin prints them: before a command or after it.
    if (command === 'help' || (command !== 'sync' && command !== 'query')) {
      const asked = command === 'help' ? { help: true, version: false } : parse(argv, {});
      if (asked.help || asked.version) {
        io.stdout.write(asked.help ? DUCKDB_SYNC_USAGE : `${packageVersion()}\n`);
        return 0;
      }
    } else if (own.includes('--help') || own.includes('-h') || own.includes('--version')) {
      io.stdout.write(own.includes('--version') ? `${packageVersion()}\n` : DUCKDB_SYNC_USAGE);
      return 0;
    }
    if (command === 'query') {
      const { values, positionals } = parse(rest, { db: { type: 'string' } });
      const db = required(values.db, '--db');
      if (positionals.length !== 1) throw new UsageError('query takes exactly one SQL statement (quote it)');
      io.stdout.write(formatTable(await queryDatabase(db, positionals[0] as string)));
      return 0;
    }
    if (command === 'sync') {
      const split = rest.indexOf('--');
      const { values, positionals } = parse(split < 0 ? rest : rest.slice(0, split), {
        db: { type: 'string' },
        config: { type: 'string' },
        streams: { type: 'string' },
        protocol: { type: 'string' },
        'idle-timeout': { type: 'string' },
        anchors: { type: 'string' },
        'primary-key': { type: 'string', multiple: true },
        address: { type: 'string' },
        quiet: { type: 'boolean' },
      });
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" before "--"`);
      const sourceCommand = split < 0 ? [] : rest.slice(split + 1);
      if (values.address === undefined && sourceCommand.length === 0)
        throw new UsageError('sync needs the source command after "--"');
      if (values.address !== undefined && sourceCommand.length > 0)
        throw new UsageError('give --address or a command after "--", not both');
      const db = required(values.db, '--db');
      const configPath = required(values.config, '--config');
      const streams =
        values.streams === undefined
          ? undefined
          : String(values.streams)
              .split(',')
              .map((name) => name.trim())
              .filter((name) => name !== '');
      const protocol = values.protocol ?? 'airbyte';
      if (protocol !== 'airbyte' && protocol !== 'flow' && protocol !== 'amp')
        throw new UsageError(`--protocol must be airbyte, flow or amp, got "${protocol}"`);
      const onlyFor = (option: string, what: string, applies: boolean) => {
        if (!applies) throw new UsageError(`${option} applies to ${what}`);
      };
      if (values.anchors !== undefined) onlyFor('--anchors', '--protocol amp', protocol === 'amp');
      if (values['primary-key'] !== undefined) onlyFor('--primary-key', '--protocol amp', protocol === 'amp');
      if (values.address !== undefined) onlyFor('--address', '--protocol amp', protocol === 'amp');
      if (streams !== undefined)
        onlyFor(
          '--streams',
          'airbyte and flow (an input tool takes <Streams> in its configuration)',
          protocol !== 'amp',
        );
      const idleText = values['idle-timeout'];
      const idleSeconds = idleText === undefined ? undefined : Number(idleText);
      if (idleSeconds !== undefined && !(Number.isFinite(idleSeconds) && idleSeconds > 0))
        throw new UsageError(`--idle-timeout must be a positive number of seconds, got "${idleText}"`);
      if (idleSeconds !== undefined && protocol !== 'flow')
        throw new UsageError('--idle-timeout applies to --protocol flow (an Airbyte source ends by itself)');
      const progress = createProgressPrinter(io, (text) => masker.mask(text), values.quiet === true);
      let result: SyncResult;
      try {
        const common: Pick<
          SyncSourceCommandOptions,
          'dbPath' | 'streams' | 'command' | 'onProgress' | 'onStart' | 'onLog' | 'onStderr' | 'signal'
        > = {
          dbPath: db,
          signal: io.signal,
          streams,
          command: sourceCommand,
          onProgress: progress.update,
          onStart: ({ streams: names, resumed }) => {
            const resuming =
              resumed.length > 0 ? ` (resuming ${resumed.join(', ')} from the stored state)` : '';
            progress.print(`reading ${names.join(', ')} into ${db}${resuming}`);
          },
          onLog: (level, message) => {
            if (level === 'ERROR' || level === 'FATAL' || level === 'WARN')
              progress.print(`source ${level}: ${message}`);
          },
          onStderr: (line: string) => progress.print(`source stderr: ${line}`),
        };
        result =
          protocol === 'amp'
            ? await syncAmpInputTool({
                ...common,
                ...ampOptions(values.anchors, values['primary-key'], values.address),
                command: sourceCommand.length > 0 ? sourceCommand : undefined,
                configXml: await readToolConfigFile(configPath),
                onMasker: (sourceMasker) => {
                  masker = sourceMasker;
                },
              })
            : protocol === 'flow'
              ? await syncFlowCaptureCommand({
                  ...common,
                  config: await readConfigFile(configPath),
                  idleTimeoutMs: idleSeconds === undefined ? undefined : idleSeconds * 1000,
                  onMasker: (sourceMasker) => {
                    masker = sourceMasker;
                  },
                })
              : await syncSourceCommand({
                  ...common,
                  configPath,
                  onMasker: (sourceMasker) => {
                    masker = sourceMasker;
                  },
                });
      } finally {
        progress.end();
      }
      say(
        result.stopped
          ? `stopped after ${(result.durationMs / 1000).toFixed(1)} s (run ${result.runId}): the checkpoints committed until then are in ${result.dbPath}; the next sync resumes from the last one`
          : `synced into ${result.dbPath} in ${(result.durationMs / 1000).toFixed(1)} s (run ${result.runId})`,
      );
      io.stderr.write(
        masker.mask(
          formatTable({
            columns: ['table', 'stream', 'records this run', 'checkpoints', 'rows in table'],
            rows: result.streams.map((stream) => [
              stream.table,
              stream.stream,
              String(stream.recordsCommitted),
              String(stream.checkpoints),
              String(stream.rowsInTable),
            ]),
          }),
        ),
      );
      return 0;
    }
    throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`${PROGRAM}: ${error.message}; see '${PROGRAM} --help'`);
      return 2;
    }
    if (DuckDbSyncError.isInstance(error) && error.code === 'SYNC_USAGE') {
      say(`${PROGRAM}: ${error.message}; see '${PROGRAM} --help'`);
      return 2;
    }
    if (DuckDbSyncError.isInstance(error)) {
      say(`error: ${error.message}`);
      return 1;
    }
    say(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The anchors, primary keys (`anchor=column[+column]`) and address of `--protocol amp`. */
function ampOptions(
  anchorsText: string | undefined,
  keyTexts: readonly string[] | undefined,
  address: string | undefined,
): Pick<SyncAmpInputToolOptions, 'anchors' | 'primaryKeys' | 'address' | 'authToken'> {
  const anchors = required(anchorsText, '--anchors')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const primaryKeys: Record<string, string[]> = {};
  for (const text of keyTexts ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(text);
    if (match === null) throw new UsageError(`--primary-key takes anchor=column[+column], got "${text}"`);
    primaryKeys[(match[1] as string).trim()] = (match[2] as string).split('+').map((column) => column.trim());
  }
  // The token of a running tool comes from the environment, never from argv (other users can read argv).
  return {
    anchors,
    primaryKeys,
    address,
    authToken: address === undefined ? undefined : process.env[TOOL_TOKEN_ENV],
  };
}

/** Where `--address` takes the running tool's token from: the variable the tool itself reads it from. */
const TOOL_TOKEN_ENV = 'SDK_PLUGIN_AUTH_TOKEN';

async function readToolConfigFile(configPath: string): Promise<string> {
  try {
    return await readFile(configPath, 'utf8');
  } catch (error) {
    throw new DuckDbSyncError(
      'SYNC_CONFIG',
      `cannot read the tool configuration ${configPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
}

/** stream-cdk's parseCommandLine (util.parseArgs, strict: the convention of every @sdk bin). */
function parse<const T extends CommandLineOptions>(args: readonly string[], options: T) {
  try {
    return parseCommandLine(args, { options });
  } catch (error) {
    if (!CliUsageError.isInstance(error)) throw error;
    throw new UsageError(error.message.replace(/^\[[A-Z_]+\] /, ''));
  }
}

function required(value: string | boolean | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${name} is required`);
  return value;
}

function describeProgress(progress: SyncProgress): string {
  const seconds = progress.elapsedMs / 1000;
  const total = progress.streams.reduce((sum, stream) => sum + stream.recordsRead, 0);
  const rate = seconds > 0 ? Math.round(total / seconds) : 0;
  const streams = progress.streams
    .map((stream) => `${stream.stream} ${stream.recordsRead} (${stream.recordsCommitted} committed)`)
    .join(', ');
  return `${seconds.toFixed(1)} s, ${total} records, ${rate}/s: ${streams}`;
}

/** A live line on a terminal, plain periodic lines otherwise. */
/** A live line redraws at most this often (10 per second). */
const REDRAW_INTERVAL_MS = 100;

function createProgressPrinter(io: DuckDbSyncCliIo, mask: (text: string) => string, quiet: boolean) {
  const tty = io.stderr.isTTY === true;
  const intervalMs = io.progressIntervalMs ?? 5_000;
  let lastPlain = 0;
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let live = false;
  return {
    update: (progress: SyncProgress) => {
      if (quiet) return;
      if (tty) {
        if (progress.elapsedMs - lastDrawn < REDRAW_INTERVAL_MS) return;
        lastDrawn = progress.elapsedMs;
        io.stderr.write(`\r\x1b[K${mask(describeProgress(progress))}`);
        live = true;
      } else if (progress.elapsedMs - lastPlain >= intervalMs) {
        lastPlain = progress.elapsedMs;
        io.stderr.write(`progress: ${mask(describeProgress(progress))}\n`);
      }
    },
    print: (line: string) => {
      if (live) io.stderr.write('\r\x1b[K');
      io.stderr.write(`${mask(line)}\n`);
    },
    end: () => {
      if (live) io.stderr.write('\n');
      live = false;
    },
  };
}
