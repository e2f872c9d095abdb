import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type {
  AirbyteCatalog,
  AirbyteMessage,
  ConnectorSpecification,
  JsonObject,
  TextMasker,
} from '@sdk/stream-cdk';
import { createSecretMasker, parseJsonText } from '@sdk/stream-cdk';
import { configureCatalog } from './configure-catalog';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { SourceFailedError } from './errors/source-failed-error';
import { parseExactJson } from './internal/parse-exact-json';
import { readLineBatches } from './internal/read-line-batches';
import { openDatabase } from './internal/sync-store';
import { type SyncMessagesOptions, type SyncResult, syncMessages } from './sync-messages';

/** Options of {@link syncSourceCommand}. */
export interface SyncSourceCommandOptions
  extends Pick<
    SyncMessagesOptions,
    'dbPath' | 'onProgress' | 'onLog' | 'onStart' | 'maxBufferedRecords' | 'progressIntervalMs' | 'signal'
  > {
  /** The source command and its leading arguments (`['node', 'source.js']`, `['python', 'main.py']`, ...). */
  readonly command: readonly string[];
  /** Path of the source's config file (JSON), passed to it as `--config`. */
  readonly configPath: string;
  /** Stream names (`name` or `namespace.name`) to sync. Defaults to every stream `discover` returns. */
  readonly streams?: readonly string[];
  /** Working directory of the source. Defaults to this process's. */
  readonly cwd?: string;
  /** Environment of the source. Defaults to this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each line the source writes to stderr, masked. Defaults to none. */
  readonly onStderr?: (line: string) => void;
  /** Called once the spec is known, with the masker built from it (for a CLI's own lines). Defaults to none. */
  readonly onMasker?: (masker: TextMasker) => void;
}

/**
 * Syncs any Airbyte-protocol source run as a command (in any language) into a DuckDB file: `spec` (for
 * the secrets to mask), `discover --config` (the configured catalog, {@link configureCatalog}), then
 * `read --config --catalog [--state]` with the state stored in the file. Messages are read as JSON lines
 * with integers kept exact. A source that exits non-zero, or is killed, fails the sync with
 * `SourceFailedError` (`SYNC_SOURCE_FAILED`) and the last committed checkpoint intact.
 */
export async function syncSourceCommand(options: SyncSourceCommandOptions): Promise<SyncResult> {
  const [program, ...leading] = options.command;
  if (program === undefined) throw new DuckDbSyncError('SYNC_USAGE', 'no source command given');
  const config = await readConfigFile(options.configPath);
  // Fail before running the source when another process holds the file (DuckDB allows one writer).
  const probe = await openDatabase(options.dbPath);
  probe.connection.closeSync();
  probe.instance.closeSync();
  const noMask: TextMasker = { mask: (text) => text };
  // discover runs while spec does (one process start less to wait for); what it prints waits until the
  // spec tells which config values to mask.
  const held: ((masker: TextMasker) => void)[] = [];
  const discovering = runForMessage(
    {
      ...options,
      onStderr: (line) => held.push((masker) => options.onStderr?.(masker.mask(line))),
      onLog: (level, message) => held.push((masker) => options.onLog?.(level, masker.mask(message))),
    },
    [...leading, 'discover', '--config', options.configPath],
    'CATALOG',
    noMask,
  ).then(
    (message) => ({ message }),
    (error: unknown) => ({ error }),
  );
  let spec: ConnectorSpecification | undefined;
  try {
    spec = (
      (await runForMessage(options, [...leading, 'spec'], 'SPEC', noMask)) as {
        spec?: ConnectorSpecification;
      }
    ).spec;
  } catch (error) {
    await discovering;
    throw error;
  }
  const masker = createSecretMasker(spec?.connectionSpecification, config);
  options.onMasker?.(masker);
  const discoveredMessage = await discovering;
  for (const release of held.splice(0)) release(masker);
  if ('error' in discoveredMessage) throw maskedError(discoveredMessage.error, masker);
  const discovered = (discoveredMessage.message as { catalog?: AirbyteCatalog }).catalog as AirbyteCatalog;
  const catalog = configureCatalog(discovered, options.streams);
  const workDir = await mkdtemp(path.join(tmpdir(), 'duckdb-sync-'));
  try {
    const catalogPath = path.join(workDir, 'catalog.json');
    await writeFile(catalogPath, JSON.stringify(catalog));
    return await syncMessages({
      dbPath: options.dbPath,
      catalog,
      masker,
      onProgress: options.onProgress,
      onLog: options.onLog,
      onStart: options.onStart,
      maxBufferedRecords: options.maxBufferedRecords,
      progressIntervalMs: options.progressIntervalMs,
      signal: options.signal,
      read: async function* ({ stateJson, signal }) {
        const args = [...leading, 'read', '--config', options.configPath, '--catalog', catalogPath];
        if (stateJson !== undefined) {
          const statePath = path.join(workDir, 'state.json');
          await writeFile(statePath, stateJson);
          args.push('--state', statePath);
        }
        yield* runLines(options, args, masker, signal);
      },
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * An error of a run whose lines were not masked yet (discover, run before spec), masked. Its causes are
 * left out: they hold the same unmasked text.
 */
function maskedError(error: unknown, masker: TextMasker): unknown {
  if (!DuckDbSyncError.isInstance(error)) return error;
  const text = masker.mask(error.message.replace(/^\[[A-Z_]+\] /, ''));
  return SourceFailedError.isInstance(error)
    ? new SourceFailedError(text, {
        exitCode: error.exitCode,
        failedStreams: error.failedStreams,
        cause: error.cause,
      })
    : new DuckDbSyncError(error.code, text);
}

/** Reads a JSON config file; `SYNC_CONFIG` when it is missing, not JSON or not an object (never quoting its text). */
export async function readConfigFile(configPath: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new DuckDbSyncError(
      'SYNC_CONFIG',
      `cannot read the config file ${configPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok)
    throw new DuckDbSyncError('SYNC_CONFIG', `the config file ${configPath} is not JSON: ${parsed.where}`);
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw new DuckDbSyncError('SYNC_CONFIG', `the config file ${configPath} must hold a JSON object`);
  }
  return parsed.value as JsonObject;
}

function describeCommand(options: SyncSourceCommandOptions, args: readonly string[]): string {
  return [options.command[0], ...args].join(' ');
}

/** Runs the source with `args` and yields its stdout lines in batches; throws when it exits non-zero. */
async function* runLines(
  options: SyncSourceCommandOptions,
  args: readonly string[],
  masker: TextMasker,
  signal?: AbortSignal,
): AsyncGenerator<string[]> {
  const program = options.command[0] as string;
  const child: ChildProcess = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A stopped sync stops the source; its output then ends.
  const stop = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', stop, { once: true });
  const lastStderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  const stderr = createInterface({
    input: child.stderr as NodeJS.ReadableStream,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  stderr.on('line', (line) => {
    const masked = masker.mask(line);
    lastStderr.push(masked);
    if (lastStderr.length > 5) lastStderr.shift();
    options.onStderr?.(masked);
  });
  let finished = false;
  try {
    // Batches of lines, read ahead while the sync commits (see readLineBatches).
    yield* readLineBatches(child.stdout as Readable);
    const { code, signal: killedBy, error } = await exited;
    finished = true;
    if (signal?.aborted) return;
    if (error !== undefined) {
      throw new SourceFailedError(
        `cannot run the source command "${describeCommand(options, args)}": ${error.message}`,
        { cause: error },
      );
    }
    if (code !== 0) {
      const how = killedBy !== null ? `was killed by ${killedBy}` : `exited with code ${code}`;
      const tail = lastStderr.length > 0 ? ` (its last stderr lines: ${lastStderr.join(' | ')})` : '';
      throw new SourceFailedError(masker.mask(`the source command ${how}${tail}`), {
        exitCode: code ?? undefined,
      });
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    if (!finished && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

/** Runs `spec` or `discover` and returns the one message of `type` it writes. */
async function runForMessage(
  options: SyncSourceCommandOptions,
  args: readonly string[],
  type: 'SPEC' | 'CATALOG',
  masker: TextMasker,
): Promise<AirbyteMessage> {
  let found: AirbyteMessage | undefined;
  let traceError: string | undefined;
  try {
    for await (const lines of runLines(options, args, masker)) {
      for (const line of lines) {
        if (!line.trimStart().startsWith('{')) continue;
        let message: AirbyteMessage;
        try {
          message = parseExactJson(line) as AirbyteMessage;
        } catch {
          continue;
        }
        if (message.type === type) found = message;
        else if (message.type === 'LOG')
          options.onLog?.(message.log?.level ?? 'INFO', masker.mask(message.log?.message ?? ''));
        else if (message.type === 'TRACE' && message.trace?.type === 'ERROR')
          traceError = masker.mask(message.trace.error?.message ?? 'error');
      }
    }
  } catch (error) {
    if (traceError !== undefined && SourceFailedError.isInstance(error)) {
      throw new SourceFailedError(`${args.includes('spec') ? 'spec' : 'discover'} failed: ${traceError}`, {
        exitCode: error.exitCode,
        cause: error,
      });
    }
    throw error;
  }
  if (found === undefined) {
    throw new DuckDbSyncError(
      'SYNC_PROTOCOL',
      `"${describeCommand(options, args)}" wrote no ${type} message${traceError ? `: ${traceError}` : ''}`,
    );
  }
  return found;
}
