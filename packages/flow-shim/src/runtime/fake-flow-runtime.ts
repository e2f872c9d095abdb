import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import type { CaptureConnector } from '../connector/capture-connector';
import { runCaptureConnector } from '../connector/run-capture-connector';
import { FlowConfigError } from '../errors/flow-config-error';
import { FlowResponseError } from '../errors/flow-response-error';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import { FlowShimError } from '../errors/flow-shim-error';
import { LineSplitter } from '../internal/line-splitter';
import { ConnectorLogger, parseLogLevel } from '../io/connector-logger';
import type { DiscoveredBinding, SpecResponse, ValidatedBinding } from '../protocol/capture-response';
import { assertCollectionKey } from '../protocol/collection-key';
import { encodeStateKey } from '../protocol/encode-state-key';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { applyMergePatch } from '../protocol/merge-patch';
import { type CaptureResponseType, validateCaptureResponseLine } from '../protocol/validate-capture-response';

/** Default time one RPC or session may take before the fake runtime kills the connector: 60 s. */
export const DEFAULT_RUNTIME_TIMEOUT_MS = 60_000;

/** Options of {@link FakeFlowRuntime}. */
export interface FakeFlowRuntimeOptions {
  /** Executable to run for every RPC and session, e.g. `process.execPath`. Give this or `connector`. */
  command?: string;
  /**
   * A connector to run in this process instead of an executable (faster tests; no process
   * isolation: a "kill" stops it like SIGTERM, and its output after the kill is ignored). The same
   * instance serves every RPC and session. Give this or `command`.
   */
  connector?: CaptureConnector;
  /** Its arguments. Defaults to `[]`. */
  args?: readonly string[];
  /** Extra environment (merged over the current one). Defaults to `{}`. */
  env?: Record<string, string>;
  /** Working directory. Defaults to the current one. */
  cwd?: string;
  /** Endpoint config sent in every request. Defaults to `{}`. */
  config?: JsonValue;
  /** Capture name used in validate/apply/open. Defaults to `acmeCo/capture`. */
  captureName?: string;
  /** Kill the connector when one RPC or session takes longer, in ms. Defaults to {@link DEFAULT_RUNTIME_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** `LOG_LEVEL` passed to the connector. Defaults to `info`. */
  logLevel?: string;
  /** Initial connector state for the first session. Defaults to `{}`. */
  initialState?: JsonObject;
}

/** A binding of the capture the fake runtime opens. */
export interface RuntimeBinding {
  resourceConfig: JsonValue;
  resourcePath: string[];
  /** Collection name. Defaults to `acmeCo/<last resource path part>`. */
  collectionName?: string;
  /** Collection key pointers. Defaults to the discovered key or `[]`. */
  key?: string[];
  /** Collection write schema. Defaults to `{}`. */
  writeSchema?: JsonValue;
  /** Backfill counter. Defaults to 0. */
  backfill?: number;
}

/** Options of one {@link FakeFlowRuntime.open} session. */
export interface RuntimeSessionOptions {
  /** Kill the connector (SIGKILL) right after this many checkpoints committed. Defaults to never. */
  killAfterCheckpoints?: number;
  /** Send SIGTERM right after this many checkpoints committed (a clean stop). Defaults to never. */
  terminateAfterCheckpoints?: number;
  /** With explicit acknowledgements, acknowledge every this many checkpoints in one message. Defaults to 1. */
  acknowledgeEvery?: number;
}

/** A committed document. */
export interface CommittedDocument {
  binding: number;
  doc: JsonObject;
}

/** A committed checkpoint as the connector sent it. */
export interface CommittedCheckpoint {
  updated: JsonObject;
  mergePatch: boolean;
}

/** Parsed stderr line of the connector (non-JSON lines keep `msg` only). */
export interface ConnectorLogLine {
  level: string;
  msg: string;
  fields?: JsonObject;
  raw: string;
}

/** Outcome of one capture session. */
export interface RuntimeSessionResult {
  explicitAcknowledgements: boolean;
  /** Documents of committed transactions, in order. */
  documents: CommittedDocument[];
  checkpoints: CommittedCheckpoint[];
  /** Sourced schemas of committed transactions, in order. */
  sourcedSchemas: Array<{ binding: number; documentSchema: JsonObject }>;
  /** Connector state after the session (what the next session is opened with). */
  state: JsonObject;
  /** Documents received after the last checkpoint, which the runtime discarded. */
  discardedDocuments: number;
  /** Acknowledged checkpoints (with explicit acknowledgements). */
  acknowledged: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the runtime itself killed or terminated the connector. */
  stoppedByRuntime: boolean;
  /** Why the session failed; undefined for a clean end (including a stop by the runtime). */
  failure: FlowShimError | undefined;
  logs: ConnectorLogLine[];
}

function parseLogLine(raw: string): ConnectorLogLine {
  try {
    const parsed = JSON.parse(raw) as {
      level?: unknown;
      lvl?: unknown;
      msg?: unknown;
      message?: unknown;
      fields?: unknown;
    };
    if (typeof parsed === 'object' && parsed !== null) {
      return {
        level: String(parsed.level ?? parsed.lvl ?? 'info').toLowerCase(),
        msg: String(parsed.msg ?? parsed.message ?? ''),
        ...(typeof parsed.fields === 'object' && parsed.fields !== null
          ? { fields: parsed.fields as JsonObject }
          : {}),
        raw,
      };
    }
  } catch {
    // Unstructured line: the runtime keeps it as a message.
  }
  return {
    level: /error|failed|panic|timeout|unable|unrecogni[sz]ed/i.test(raw) ? 'error' : 'warn',
    msg: raw,
    raw,
  };
}

/** One connector invocation, as a child process or in-process. */
interface ConnectorRun {
  responses: AsyncGenerator<{ type: CaptureResponseType; body: JsonObject }, void>;
  exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
  logs: ConnectorLogLine[];
  send(line: string): void;
  closeInput(): void;
  kill(signal: 'SIGKILL' | 'SIGTERM'): void;
  killTimer: NodeJS.Timeout;
}

/**
 * A stand-in for the Flow runtime in tests: runs a connector executable the way the runtime runs
 * a local connector (one process per RPC, newline-delimited JSON, `LOG_LEVEL` in the environment),
 * checks every response line against the protocol contract (unknown fields are errors, like the
 * real runtime), commits transactions at checkpoints, acknowledges them when asked, keeps the
 * connector state by applying merge patches (or replacing it), and reopens sessions with it.
 */
export class FakeFlowRuntime {
  /** Connector state the next session is opened with. */
  state: JsonObject;
  private readonly options: FakeFlowRuntimeOptions;

  constructor(options: FakeFlowRuntimeOptions) {
    if ((options.command === undefined) === (options.connector === undefined)) {
      throw new FlowConfigError('command', 'give exactly one of `command` and `connector`');
    }
    this.options = options;
    this.state = options.initialState ?? {};
  }

  private get config(): JsonValue {
    return this.options.config ?? {};
  }

  /** Sends `spec` (as flowctl does, with `connectorType: LOCAL` and the config) and returns the response. */
  async spec(request: JsonObject = { connectorType: 'LOCAL', config: this.config }): Promise<SpecResponse> {
    return (await this.unary('spec', { spec: request }, 'spec')) as unknown as SpecResponse;
  }

  /**
   * Sends `discover` and returns the discovered bindings. Throws `FlowKeyError` (`FLOW_INVALID_KEY`)
   * for a binding Flow would not publish: a key location not `required` at every step, or not keyable.
   */
  async discover(): Promise<DiscoveredBinding[]> {
    const body = await this.unary(
      'discover',
      { discover: { connectorType: 'LOCAL', config: this.config } },
      'discovered',
    );
    const bindings = (body.bindings ?? []) as unknown as DiscoveredBinding[];
    // What Flow checks when the catalog is published: required, keyable key locations.
    for (const binding of bindings) assertCollectionKey(binding);
    return bindings;
  }

  /** Sends `validate` for the given bindings and returns the validated resource paths. */
  async validate(bindings: readonly Omit<RuntimeBinding, 'resourcePath'>[]): Promise<ValidatedBinding[]> {
    const body = await this.unary(
      'validate',
      {
        validate: {
          name: this.captureName,
          connectorType: 'LOCAL',
          config: this.config,
          bindings: bindings.map((binding) => ({
            resourceConfig: binding.resourceConfig,
            collection: this.collectionSpec({ ...binding, resourcePath: [] }),
            ...(binding.backfill ? { backfill: binding.backfill } : {}),
          })),
        },
      },
      'validated',
    );
    const validated = (body.bindings ?? []) as unknown as ValidatedBinding[];
    if (validated.length !== bindings.length) {
      throw new FlowResponseError(
        '/validated/bindings',
        `expected ${bindings.length} bindings, got ${validated.length}`,
      );
    }
    const seen = new Set<string>();
    validated.forEach((binding, index) => {
      const path = JSON.stringify(binding.resourcePath ?? []);
      if (seen.has(path)) {
        throw new FlowResponseError(
          `/validated/bindings/${index}/resourcePath`,
          `duplicate resource path ${path}`,
        );
      }
      seen.add(path);
    });
    return validated;
  }

  /** Sends `apply` and returns the action description. */
  async apply(bindings: readonly RuntimeBinding[]): Promise<string> {
    const body = await this.unary(
      'apply',
      { apply: { capture: this.captureSpec(bindings), version: 'fake' } },
      'applied',
    );
    return typeof body.actionDescription === 'string' ? body.actionDescription : '';
  }

  /**
   * Discovers, validates every discovered binding and returns them ready for {@link open}, with
   * collection keys and schemas from discovery.
   */
  async discoverAndValidate(): Promise<RuntimeBinding[]> {
    const discovered = await this.discover();
    const candidates = discovered.map((binding) => ({
      resourceConfig: binding.resourceConfig,
      collectionName: `acmeCo/${binding.recommendedName}`,
      key: binding.key,
      writeSchema: binding.documentSchema,
    }));
    const validated = await this.validate(candidates);
    return candidates.map((candidate, index) => ({
      ...candidate,
      resourcePath: validated[index]?.resourcePath ?? [],
    }));
  }

  /**
   * Runs one capture session: sends `open` with the current state, commits documents at every
   * checkpoint (folding the checkpoint into {@link state}), acknowledges when asked, and waits for
   * the connector to exit. Never rejects for connector misbehaviour: see `failure`.
   */
  async open(
    bindings: readonly RuntimeBinding[],
    options: RuntimeSessionOptions = {},
  ): Promise<RuntimeSessionResult> {
    const openRequest = {
      open: {
        capture: this.captureSpec(bindings),
        version: 'fake',
        range: { keyEnd: 0xffffffff, rClockEnd: 0xffffffff },
        state: this.state,
      },
    };
    const run = this.start(`${JSON.stringify(openRequest)}\n`, false);
    const result: RuntimeSessionResult = {
      explicitAcknowledgements: false,
      documents: [],
      checkpoints: [],
      sourcedSchemas: [],
      state: this.state,
      discardedDocuments: 0,
      acknowledged: 0,
      exitCode: null,
      signal: null,
      stoppedByRuntime: false,
      failure: undefined,
      logs: run.logs,
    };
    let pending: CommittedDocument[] = [];
    let pendingSchemas: Array<{ binding: number; documentSchema: JsonObject }> = [];
    let unacknowledged = 0;
    let opened = false;
    const acknowledgeEvery = options.acknowledgeEvery ?? 1;
    try {
      for await (const { type, body } of run.responses) {
        if (result.stoppedByRuntime) continue;
        if (!opened) {
          if (type !== 'opened')
            throw new FlowResponseError(`/${type}`, 'the first session response must be opened');
          opened = true;
          result.explicitAcknowledgements = body.explicitAcknowledgements === true;
          if (!result.explicitAcknowledgements) run.closeInput();
          continue;
        }
        if (type === 'captured') {
          const binding = typeof body.binding === 'number' ? body.binding : 0;
          if (binding >= bindings.length) {
            throw new FlowResponseError(
              '/captured/binding',
              `binding ${binding} is out of range (${bindings.length})`,
            );
          }
          pending.push({ binding, doc: body.doc as JsonObject });
        } else if (type === 'checkpoint') {
          const state = body.state as { updated: JsonObject; mergePatch?: boolean };
          const mergePatch = state.mergePatch === true;
          this.state = (
            mergePatch ? applyMergePatch(this.state, state.updated) : state.updated
          ) as JsonObject;
          result.documents.push(...pending);
          pending = [];
          result.sourcedSchemas.push(...pendingSchemas);
          pendingSchemas = [];
          result.checkpoints.push({ updated: state.updated, mergePatch });
          if (result.explicitAcknowledgements) {
            unacknowledged += 1;
            if (unacknowledged >= acknowledgeEvery) {
              run.send(`${JSON.stringify({ acknowledge: { checkpoints: unacknowledged } })}\n`);
              result.acknowledged += unacknowledged;
              unacknowledged = 0;
            }
          }
          if (result.checkpoints.length === options.killAfterCheckpoints) {
            result.stoppedByRuntime = true;
            run.kill('SIGKILL');
          } else if (result.checkpoints.length === options.terminateAfterCheckpoints) {
            result.stoppedByRuntime = true;
            run.kill('SIGTERM');
          }
        } else if (type === 'sourcedSchema') {
          const binding = typeof body.binding === 'number' ? body.binding : 0;
          if (binding >= bindings.length) {
            throw new FlowResponseError(
              '/sourcedSchema/binding',
              `binding ${binding} is out of range (${bindings.length})`,
            );
          }
          // Transactional: it takes effect with the next checkpoint.
          pendingSchemas.push({ binding, documentSchema: body.documentSchema as JsonObject });
        } else {
          throw new FlowResponseError(`/${type}`, `'${type}' is not a capture session response`);
        }
      }
      if (!opened && !result.stoppedByRuntime) {
        throw new FlowResponseError('', 'the connector ended the session without sending opened');
      }
    } catch (error) {
      run.kill('SIGKILL');
      // Output cut short by our own kill is expected, not a connector fault.
      if (!result.stoppedByRuntime) {
        result.failure = FlowShimError.isInstance(error)
          ? error
          : new FlowRuntimeError('open', null, '', String(error), { cause: error });
      }
    }
    const exit = await run.exited;
    clearTimeout(run.killTimer);
    run.closeInput();
    result.exitCode = exit.exitCode;
    result.signal = exit.signal;
    result.discardedDocuments = pending.length;
    result.state = this.state;
    if (!result.failure && !result.stoppedByRuntime && exit.exitCode !== 0) {
      const last = run.logs.at(-1)?.msg ?? 'connector exited with no log output';
      result.failure = new FlowRuntimeError(
        'open',
        exit.exitCode,
        last,
        `connector exited with ${exit.exitCode ?? exit.signal}: ${last}`,
      );
    }
    return result;
  }

  private get captureName(): string {
    return this.options.captureName ?? 'acmeCo/capture';
  }

  private collectionSpec(binding: RuntimeBinding): JsonObject {
    const lastPart = binding.resourcePath.at(-1) ?? 'collection';
    return {
      name: binding.collectionName ?? `acmeCo/${lastPart}`,
      writeSchema: binding.writeSchema ?? {},
      key: binding.key ?? [],
      uuidPtr: '/_meta/uuid',
    };
  }

  private captureSpec(bindings: readonly RuntimeBinding[]): JsonObject {
    return {
      name: this.captureName,
      connectorType: 'LOCAL',
      config: this.config,
      bindings: bindings.map((binding) => ({
        resourceConfig: binding.resourceConfig,
        resourcePath: binding.resourcePath,
        collection: this.collectionSpec(binding),
        ...(binding.backfill ? { backfill: binding.backfill } : {}),
        stateKey: encodeStateKey(binding.resourcePath, binding.backfill ?? 0),
      })),
      intervalSeconds: 300,
    };
  }

  private async unary(rpc: string, request: JsonObject, expected: CaptureResponseType): Promise<JsonObject> {
    const run = this.start(`${JSON.stringify(request)}\n`, true);
    const bodies: JsonObject[] = [];
    let failure: unknown;
    try {
      for await (const { type, body } of run.responses) {
        if (type !== expected) {
          throw new FlowRuntimeError(rpc, null, '', `expected a '${expected}' response, got '${type}'`);
        }
        bodies.push(body);
      }
    } catch (error) {
      failure = error;
      run.kill('SIGKILL');
    }
    const exit = await run.exited;
    clearTimeout(run.killTimer);
    if (failure !== undefined) throw failure;
    const last = run.logs.at(-1)?.msg ?? 'connector exited with no log output';
    if (exit.exitCode !== 0) {
      throw new FlowRuntimeError(
        rpc,
        exit.exitCode,
        last,
        `connector exited with ${exit.exitCode ?? exit.signal}: ${last}`,
      );
    }
    if (bodies.length !== 1) {
      throw new FlowRuntimeError(
        rpc,
        exit.exitCode,
        last,
        bodies.length === 0
          ? 'rpc is expected to be unary but it returned no response'
          : 'rpc is expected to be unary but it returned multiple responses',
      );
    }
    return bodies[0] as JsonObject;
  }

  private start(firstRequest: string, closeStdin: boolean): ConnectorRun {
    const run = this.options.connector
      ? this.startInProcess(this.options.connector, firstRequest, closeStdin)
      : this.startProcess(this.options.command as string, firstRequest, closeStdin);
    return run;
  }

  private startProcess(command: string, firstRequest: string, closeStdin: boolean): ConnectorRun {
    const child = spawn(command, [...(this.options.args ?? [])], {
      cwd: this.options.cwd,
      env: { ...process.env, LOG_LEVEL: this.options.logLevel ?? 'info', ...this.options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // The connector may exit without reading everything; that is not an error for the runtime.
    child.stdin.on('error', () => undefined);
    child.stdin.write(firstRequest);
    if (closeStdin) child.stdin.end();
    const logs: ConnectorLogLine[] = [];
    const stderrSplitter = new LineSplitter(16 * 1024 * 1024, () => new Error('stderr line too long'));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of stderrSplitter.push(chunk)) if (line.trim()) logs.push(parseLogLine(line));
    });
    const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('close', (exitCode, signal) => {
        const last = stderrSplitter.end();
        if (last?.trim()) logs.push(parseLogLine(last));
        resolve({ exitCode, signal });
      });
      child.on('error', (error) => {
        logs.push({ level: 'error', msg: `failed to start connector: ${error.message}`, raw: error.message });
        resolve({ exitCode: null, signal: null });
      });
    });
    const killTimer = setTimeout(
      () => child.kill('SIGKILL'),
      this.options.timeoutMs ?? DEFAULT_RUNTIME_TIMEOUT_MS,
    );
    killTimer.unref();
    return {
      responses: readResponses(child.stdout),
      exited,
      logs,
      send: (line) => {
        if (child.stdin.writable) child.stdin.write(line);
      },
      closeInput: () => child.stdin.end(),
      kill: (signal) => {
        child.kill(signal);
      },
      killTimer,
    };
  }

  private startInProcess(
    connector: CaptureConnector,
    firstRequest: string,
    closeStdin: boolean,
  ): ConnectorRun {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    stdin.on('error', () => undefined);
    const logs: ConnectorLogLine[] = [];
    const logger = new ConnectorLogger({
      level: parseLogLevel(this.options.logLevel) ?? 'info',
      write: (text) => {
        for (const line of text.split('\n')) if (line.trim()) logs.push(parseLogLine(line));
      },
    });
    const stop = new AbortController();
    let killedBy: NodeJS.Signals | null = null;
    const exited = runCaptureConnector(connector, {
      stdin,
      stdout,
      logger,
      argv: [],
      handleSignals: false,
      signal: stop.signal,
    }).then((code) => {
      stdout.end();
      return killedBy === 'SIGKILL' ? { exitCode: null, signal: killedBy } : { exitCode: code, signal: null };
    });
    stdin.write(firstRequest);
    if (closeStdin) stdin.end();
    const kill = (signal: 'SIGKILL' | 'SIGTERM') => {
      killedBy ??= signal;
      stop.abort();
    };
    const killTimer = setTimeout(() => kill('SIGKILL'), this.options.timeoutMs ?? DEFAULT_RUNTIME_TIMEOUT_MS);
    killTimer.unref();
    return {
      responses: readResponses(stdout),
      exited,
      logs,
      send: (line) => {
        if (stdin.writable) stdin.write(line);
      },
      closeInput: () => stdin.end(),
      kill,
      killTimer,
    };
  }
}

async function* readResponses(
  stdout: Readable,
): AsyncGenerator<{ type: CaptureResponseType; body: JsonObject }, void> {
  const splitter = new LineSplitter(
    256 * 1024 * 1024,
    (line) => new FlowResponseError('', `stdout line ${line} is too long`),
  );
  let partial = false;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    for (const line of splitter.push(chunk)) {
      const type = validateCaptureResponseLine(line);
      const body = (JSON.parse(line) as JsonObject)[type] as JsonObject;
      yield { type, body };
    }
  }
  const last = splitter.end();
  if (last !== undefined) partial = true;
  if (partial)
    throw new FlowResponseError('', 'connector wrote a partial message and then closed its output');
}
