import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AirbyteMessage, ConfiguredAirbyteCatalog, JsonObject, TextMasker } from '@sdk/stream-cdk';
import { createSecretMasker, toJsonText } from '@sdk/stream-cdk';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { SourceFailedError } from './errors/source-failed-error';
import { applyMergePatch } from './internal/merge-patch';
import { parseExactJson } from './internal/parse-exact-json';
import { openDatabase } from './internal/sync-store';
import { type SyncMessagesOptions, type SyncResult, syncMessages } from './sync-messages';

/** Options of {@link syncFlowCaptureCommand}. */
export interface SyncFlowCaptureCommandOptions
  extends Pick<
    SyncMessagesOptions,
    'dbPath' | 'onProgress' | 'onLog' | 'onStart' | 'maxBufferedRecords' | 'progressIntervalMs' | 'signal'
  > {
  /** The capture connector command and its leading arguments. */
  readonly command: readonly string[];
  /** The endpoint config sent in every request. */
  readonly config: JsonObject;
  /** Bindings (by `recommendedName`) to capture. Defaults to every discovered binding. */
  readonly streams?: readonly string[];
  /** Capture name sent in `validate` and `open`. Defaults to `local/duckdb-sync`. */
  readonly captureName?: string;
  /** Working directory of the connector. Defaults to this process's. */
  readonly cwd?: string;
  /** Environment of the connector. Defaults to this process's, with `LOG_LEVEL=info`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each stderr line of the connector (its logs), masked. Defaults to none. */
  readonly onStderr?: (line: string) => void;
  /** Called once the spec is known, with the masker built from it (for a CLI's own lines). Defaults to none. */
  readonly onMasker?: (masker: TextMasker) => void;
  /**
   * Stops the session when the capture has sent nothing (no document, checkpoint or other response) for
   * this many milliseconds after its first response (`opened`), as `signal` would: for a capture that,
   * like real ones, keeps running after its data. Defaults to none (the session lasts until the capture
   * exits or `signal` aborts).
   */
  readonly idleTimeoutMs?: number;
}

/** How long a stopped capture has to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

interface DiscoveredBinding {
  recommendedName: string;
  resourceConfig: JsonObject;
  documentSchema: JsonObject;
  key?: string[];
}

/**
 * Syncs an Estuary Flow capture connector run as a command into a DuckDB file, driving it as the Flow
 * runtime does: `spec` (its `secret` fields are masked), `discover`, `validate`, then one `open`
 * session with the connector state stored in the file. Each binding becomes a table keyed on its
 * collection key (deduplicated, the newest document winning). Each `checkpoint` is reduced into the
 * connector state (merge patch or replacement) and committed with the documents before it in one
 * transaction; only then is it acknowledged, when the connector asked for acknowledgements. The session
 * ends when the connector exits; a non-zero exit fails the sync with `SYNC_SOURCE_FAILED`, the last
 * committed checkpoint intact.
 */
export async function syncFlowCaptureCommand(options: SyncFlowCaptureCommandOptions): Promise<SyncResult> {
  if (options.command[0] === undefined) throw new DuckDbSyncError('SYNC_USAGE', 'no capture command given');
  const idleTimeoutMs = options.idleTimeoutMs;
  if (idleTimeoutMs !== undefined && !(Number.isFinite(idleTimeoutMs) && idleTimeoutMs > 0)) {
    throw new DuckDbSyncError(
      'SYNC_USAGE',
      `idleTimeoutMs must be a positive number, got ${String(idleTimeoutMs)}`,
    );
  }
  const probe = await openDatabase(options.dbPath);
  probe.connection.closeSync();
  probe.instance.closeSync();
  const config = options.config;
  const noMask: TextMasker = { mask: (text) => text };
  const spec = await unary(options, { spec: { connectorType: 'LOCAL', config } }, 'spec', noMask);
  const masker = createSecretMasker(markFlowSecrets(spec.configSchema), config);
  options.onMasker?.(masker);
  const discovered = ((
    await unary(options, { discover: { connectorType: 'LOCAL', config } }, 'discovered', masker)
  ).bindings ?? []) as DiscoveredBinding[];
  const known = discovered.map((binding) => binding.recommendedName);
  const unknown = (options.streams ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DuckDbSyncError(
      'SYNC_CONFIG',
      `unknown binding ${unknown.map((name) => `"${name}"`).join(', ')}; the capture has ${known.map((name) => `"${name}"`).join(', ')}`,
    );
  }
  const selected =
    options.streams === undefined
      ? discovered
      : discovered.filter((binding) => options.streams?.includes(binding.recommendedName));
  const captureName = options.captureName ?? 'local/duckdb-sync';
  const collection = (binding: DiscoveredBinding) => ({
    name: `local/${binding.recommendedName}`,
    writeSchema: binding.documentSchema,
    key: binding.key ?? [],
    uuidPtr: '/_meta/uuid',
  });
  const validated = ((
    await unary(
      options,
      {
        validate: {
          name: captureName,
          connectorType: 'LOCAL',
          config,
          bindings: selected.map((binding) => ({
            resourceConfig: binding.resourceConfig,
            collection: collection(binding),
          })),
        },
      },
      'validated',
      masker,
    )
  ).bindings ?? []) as { resourcePath?: string[] }[];
  const catalog: ConfiguredAirbyteCatalog = {
    streams: selected.map((binding) => {
      const primaryKey = (binding.key ?? []).map(pointerToPath);
      return {
        stream: {
          name: binding.recommendedName,
          json_schema: binding.documentSchema,
          supported_sync_modes: ['incremental'],
        },
        sync_mode: 'incremental',
        destination_sync_mode: primaryKey.length > 0 ? 'append_dedup' : 'append',
        ...(primaryKey.length > 0 ? { primary_key: primaryKey } : {}),
      };
    }),
  };
  const captureSpec = {
    name: captureName,
    connectorType: 'LOCAL',
    config,
    bindings: selected.map((binding, index) => {
      const resourcePath = validated[index]?.resourcePath ?? [binding.recommendedName];
      return {
        resourceConfig: binding.resourceConfig,
        resourcePath,
        collection: collection(binding),
        stateKey: resourcePath.map((part) => encodeURIComponent(part)).join('%2F'),
      };
    }),
    intervalSeconds: 300,
  };
  // One signal for the sync: the caller's, or the session going idle.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let idleTimer: NodeJS.Timeout | undefined;
  const stillActive = () => {
    if (idleTimeoutMs === undefined || stop.signal.aborted) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop.abort(), idleTimeoutMs);
  };
  try {
    return await syncMessages({
      dbPath: options.dbPath,
      catalog,
      masker,
      signal: stop.signal,
      onProgress: options.onProgress,
      onLog: options.onLog,
      onStart: options.onStart,
      maxBufferedRecords: options.maxBufferedRecords,
      progressIntervalMs: options.progressIntervalMs,
      read: async function* ({ state, signal }) {
        const global = state?.find((payload) => payload.type === 'GLOBAL') as
          | { global?: { shared_state?: unknown } }
          | undefined;
        let connectorState: unknown = global?.global?.shared_state ?? {};
        const open = {
          open: {
            capture: captureSpec,
            version: 'duckdb-sync',
            range: { keyEnd: 0xffffffff, rClockEnd: 0xffffffff },
            state: connectorState,
          },
        };
        const session = start(options, open, false, masker);
        // A stop ends the session: the capture is asked to exit, which ends its responses.
        const stopCapture = () => {
          session.child.kill('SIGTERM');
          // One that ignores SIGTERM is killed: a stop must end.
          setTimeout(() => {
            if (session.child.exitCode === null && session.child.signalCode === null)
              session.child.kill('SIGKILL');
          }, STOP_GRACE_MS).unref();
        };
        signal.addEventListener('abort', stopCapture, { once: true });
        let explicitAcknowledgements: boolean | undefined;
        // The idle clock starts at the capture's first response: however long it takes to start (a
        // busy machine, a slow source), starting is not being idle.
        try {
          for await (const { type, body } of session.responses) {
            stillActive();
            if (explicitAcknowledgements === undefined) {
              if (type !== 'opened')
                throw new DuckDbSyncError(
                  'SYNC_PROTOCOL',
                  `the capture answered open with "${type}", not "opened"`,
                );
              explicitAcknowledgements = body.explicitAcknowledgements === true;
              if (!explicitAcknowledgements) session.child.stdin?.end();
              continue;
            }
            if (type === 'captured') {
              const binding = selected[typeof body.binding === 'number' ? body.binding : 0];
              if (binding === undefined)
                throw new DuckDbSyncError(
                  'SYNC_PROTOCOL',
                  `the capture sent a document of binding ${String(body.binding)}, which it was not opened with`,
                );
              yield {
                type: 'RECORD',
                record: {
                  stream: binding.recommendedName,
                  data: body.doc as JsonObject,
                  emitted_at: Date.now(),
                },
              } as AirbyteMessage;
            } else if (type === 'checkpoint') {
              const update = (body.state ?? {}) as { updated?: unknown; mergePatch?: boolean };
              connectorState =
                update.mergePatch === true
                  ? applyMergePatch(connectorState, update.updated ?? {})
                  : (update.updated ?? {});
              yield {
                type: 'STATE',
                state: { type: 'GLOBAL', global: { shared_state: connectorState, stream_states: [] } },
              } as unknown as AirbyteMessage;
              // syncMessages pulls the next message only once this checkpoint is committed.
              if (explicitAcknowledgements)
                session.child.stdin?.write(`${JSON.stringify({ acknowledge: { checkpoints: 1 } })}\n`);
            }
            // sourcedSchema and other responses carry nothing a table needs.
          }
          // Stopped: how the capture exited on SIGTERM says nothing about the data committed.
          if (!signal.aborted) await session.finished();
        } finally {
          signal.removeEventListener('abort', stopCapture);
          if (session.child.exitCode === null && session.child.signalCode === null)
            session.child.kill('SIGTERM');
        }
      },
    });
  } finally {
    clearTimeout(idleTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** `/a/b~1c` as the path `['a', 'b/c']`. */
function pointerToPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A copy of a Flow config schema with `secret: true` also marked `airbyte_secret: true`, for the masker. */
function markFlowSecrets(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(markFlowSecrets);
  if (typeof schema !== 'object' || schema === null) return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) result[key] = markFlowSecrets(value);
  if (result.secret === true) result.airbyte_secret = true;
  return result;
}

interface Session {
  readonly child: ChildProcess;
  readonly responses: AsyncGenerator<{ type: string; body: JsonObject }>;
  readonly finished: () => Promise<void>;
}

function start(
  options: SyncFlowCaptureCommandOptions,
  request: unknown,
  closeInput: boolean,
  masker: TextMasker,
): Session {
  const [program, ...leading] = options.command as [string, ...string[]];
  const child = spawn(program, leading, {
    cwd: options.cwd,
    env: options.env ?? { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lastStderr: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream, crlfDelay: Number.POSITIVE_INFINITY }).on(
    'line',
    (line) => {
      const masked = masker.mask(line);
      lastStderr.push(masked);
      if (lastStderr.length > 3) lastStderr.shift();
      options.onStderr?.(masked);
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  child.stdin?.on('error', () => {
    // A connector that exits without reading all its input: its exit code tells what happened.
  });
  child.stdin?.write(`${toJsonText(request)}\n`);
  if (closeInput) child.stdin?.end();
  async function* responses() {
    const lines = createInterface({
      input: child.stdout as NodeJS.ReadableStream,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let response: unknown;
      try {
        response = parseExactJson(line);
      } catch {
        throw new DuckDbSyncError('SYNC_PROTOCOL', 'the capture wrote a line on stdout that is not JSON');
      }
      const entries = typeof response === 'object' && response !== null ? Object.entries(response) : [];
      const [type, body] = entries.find(([key]) => key !== '$internal') ?? [];
      if (type === undefined)
        throw new DuckDbSyncError('SYNC_PROTOCOL', 'the capture wrote an empty response');
      yield { type, body: (body ?? {}) as JsonObject };
    }
  }
  return {
    child,
    responses: responses(),
    finished: async () => {
      const { code, signal, error } = await exited;
      if (error !== undefined)
        throw new SourceFailedError(`cannot run the capture command: ${error.message}`, { cause: error });
      if (code !== 0) {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = lastStderr.length > 0 ? ` (its last log lines: ${lastStderr.join(' | ')})` : '';
        throw new SourceFailedError(masker.mask(`the capture ${how}${tail}`), {
          exitCode: code ?? undefined,
        });
      }
    },
  };
}

/** Runs one unary RPC and returns the body of its one `expected` response. */
async function unary(
  options: SyncFlowCaptureCommandOptions,
  request: JsonObject,
  expected: string,
  masker: TextMasker,
): Promise<JsonObject> {
  const session = start(options, request, true, masker);
  const bodies: JsonObject[] = [];
  try {
    for await (const { type, body } of session.responses) {
      if (type !== expected)
        throw new DuckDbSyncError(
          'SYNC_PROTOCOL',
          `the capture answered ${Object.keys(request)[0]} with "${type}", not "${expected}"`,
        );
      bodies.push(body);
    }
    await session.finished();
  } finally {
    if (session.child.exitCode === null && session.child.signalCode === null) session.child.kill('SIGKILL');
  }
  const [body] = bodies;
  if (body === undefined || bodies.length > 1) {
    throw new DuckDbSyncError(
      'SYNC_PROTOCOL',
      `the capture sent ${bodies.length} "${expected}" responses to ${Object.keys(request)[0]}, not one`,
    );
  }
  return body;
}
