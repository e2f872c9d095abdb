import { FlowConfigError } from '../errors/flow-config-error';
import { FlowRequestError } from '../errors/flow-request-error';
import { FlowShimError } from '../errors/flow-shim-error';
import { CaptureSession, describe } from '../internal/capture-session';
import { LineSplitter } from '../internal/line-splitter';
import { ConnectorLogger, type LogLevel, parseLogLevel } from '../io/connector-logger';
import { ResponseWriter, type WritableLike } from '../io/response-writer';
import type { CaptureRequest } from '../protocol/capture-request';
import { FLOW_CAPTURE_PROTOCOL_VERSION } from '../protocol/capture-response';
import { withRequiredCollectionKey } from '../protocol/collection-key';
import { parseCaptureRequestLine } from '../protocol/parse-capture-request';
import type { CaptureConnector, ConnectorContext } from './capture-connector';

/** Default longest request line accepted on stdin: 128 MiB. */
export const DEFAULT_MAX_REQUEST_LINE_BYTES = 128 * 1024 * 1024;
/** Default bytes of documents a task buffers before streaming them early: 8 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES_PER_TASK = 8 * 1024 * 1024;
/** Default time tasks get to return after a stop request before the process exits anyway: 10 s. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link runCaptureConnector}. Defaults wire the connector to the real process. */
export interface RunCaptureConnectorOptions {
  /** Request source. Defaults to `process.stdin`. */
  stdin?: AsyncIterable<Buffer | string>;
  /** Response sink. Defaults to `process.stdout` (and then library writes to stdout go to stderr). */
  stdout?: WritableLike;
  /** Logger. Defaults to JSON lines on stderr at `LOG_LEVEL` (or `--log.level=` from argv, or `info`). */
  logger?: ConnectorLogger;
  /** Command-line arguments; only `--log.level[=]x` is read, anything else is ignored. Defaults to `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Longest request line accepted, in bytes. Defaults to {@link DEFAULT_MAX_REQUEST_LINE_BYTES}. */
  maxLineBytes?: number;
  /** Bytes a task may buffer before streaming early. Defaults to {@link DEFAULT_MAX_BUFFERED_BYTES_PER_TASK}. */
  maxBufferedBytesPerTask?: number;
  /** Time tasks get to return after stop, in ms. Defaults to {@link DEFAULT_SHUTDOWN_TIMEOUT_MS}. */
  shutdownTimeoutMs?: number;
  /** Stop cleanly on SIGTERM and SIGINT. Defaults to true when stdout is `process.stdout`. */
  handleSignals?: boolean;
  /** Aborting it stops the connector as SIGTERM does (clean stop, exit code 0). Defaults to none. */
  signal?: AbortSignal;
  /**
   * Called when a session opens; what it returns is shown the session's documents and bytes 10 times
   * a second, then finished once, before the failure line when the capture fails (a `ProgressLine`
   * of `@sdk/stream-cdk` fits). Defaults to none.
   */
  progress?: () => CaptureProgress;
}

/** Receives the progress of a capture session (see {@link RunCaptureConnectorOptions.progress}). */
export interface CaptureProgress {
  /** Totals so far: documents emitted and response bytes written. */
  update(counts: { records: number; bytes: number }): void;
  /** The session ended: `done` or `failed`. Called once. */
  finish(outcome: string): void;
}

/** How often an open session's progress is handed on: the live line redraws at most this often. */
const PROGRESS_INTERVAL_MS = 100;

function logLevelFromArgv(argv: readonly string[]): LogLevel | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument.startsWith('--log.level=')) return parseLogLevel(argument.slice('--log.level='.length));
    if (argument === '--log.level') return parseLogLevel(argv[index + 1]);
  }
  return undefined;
}

/** Routes writes to `process.stdout` from anywhere else (libraries, console.log) to stderr. */
function guardProcessStdout(): { writable: WritableLike; restore: () => void } {
  const stdout = process.stdout;
  const realWrite = stdout.write.bind(stdout) as (
    chunk: string,
    callback?: (error?: Error | null) => void,
  ) => boolean;
  const redirected = ((chunk: unknown, encoding?: unknown, callback?: unknown) =>
    (process.stderr.write as (...args: unknown[]) => boolean)(
      chunk,
      encoding,
      callback,
    )) as typeof stdout.write;
  stdout.write = redirected;
  const writable: WritableLike = {
    write: (chunk, callback) => realWrite(chunk, callback),
    once: (event, listener) => stdout.once(event, listener),
    removeListener: (event, listener) => stdout.removeListener(event, listener),
  };
  return {
    writable,
    restore: () => {
      if (stdout.write === redirected) stdout.write = realWrite as typeof stdout.write;
    },
  };
}

/** Logs a fatal error with its details, then the human-readable last line the runtime shows. */
function reportFatal(logger: ConnectorLogger, error: unknown): void {
  const message = describe(error);
  const fields: Record<string, unknown> = {};
  if (FlowShimError.isInstance(error)) fields.code = error.code;
  if (error instanceof Error && !FlowShimError.isInstance(error) && error.stack) fields.stack = error.stack;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined) fields.cause = describe(cause);
  logger.error(message, fields);
  logger.writeRaw(`connector failed: ${message}`);
}

function checkPositive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new FlowConfigError(option, `must be a positive number, got ${value}`);
  return value;
}

/**
 * Serves a connector over newline-delimited JSON: reads requests from stdin (leniently), answers
 * `spec`/`discover`/`validate`/`apply` one by one, and on `open` runs the capture session while
 * still reading `acknowledge` requests. Resolves with the exit code (never rejects): 0 when stdin
 * ends without a session, when the session's tasks all return, or after a SIGTERM stop; 1 on any
 * failure, after logging it and writing a human-readable last stderr line
 * (`connector failed: [CODE] ...`) that the runtime shows to the user.
 */
export async function runCaptureConnector(
  connector: CaptureConnector,
  options: RunCaptureConnectorOptions = {},
): Promise<number> {
  const argv = options.argv ?? process.argv.slice(2);
  const logger = options.logger ?? new ConnectorLogger({ level: logLevelFromArgv(argv) });
  let guard: ReturnType<typeof guardProcessStdout> | undefined;
  let stdout = options.stdout;
  if (stdout === undefined) {
    guard = guardProcessStdout();
    stdout = guard.writable;
  }
  const handleSignals = options.handleSignals ?? guard !== undefined;
  const context: ConnectorContext = { logger };
  const writer = new ResponseWriter(stdout);
  let session: CaptureSession | undefined;
  let stopRequested = false;

  let progress: CaptureProgress | undefined;
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  const showProgress = (): void => {
    if (session) progress?.update({ records: session.documents, bytes: writer.writtenBytes });
  };
  // Before a failure's own lines, so that "connector failed: ..." stays the last line on stderr.
  const endProgress = (outcome: string): void => {
    if (progressTimer === undefined) return;
    clearInterval(progressTimer);
    progressTimer = undefined;
    showProgress();
    progress?.finish(outcome);
  };

  let ended = false;
  const fail = (error: unknown): number => {
    // Only the first failure is the story; later ones are consequences (stopped tasks, closed pipes).
    if (ended) {
      logger.debug('further failure after the session ended', { error: describe(error) });
      return 1;
    }
    endProgress('failed');
    reportFatal(logger, error);
    return 1;
  };

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = (code) => {
      ended = true;
      resolve(code);
    };
  });

  const onSignal = (signal: string) => {
    if (stopRequested) return;
    stopRequested = true;
    logger.info(`received ${signal}; stopping`, { signal });
    if (!session) {
      finish(0);
      return;
    }
    session.stop(new Error(`stopped by ${signal}`));
    const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      logger.warn('tasks did not stop in time; exiting without waiting for them', { timeoutMs });
      finish(0);
    }, timeoutMs);
    timer.unref?.();
  };

  const handle = async (request: CaptureRequest, lineNumber: number): Promise<void> => {
    switch (request.type) {
      case 'internal':
        return;
      case 'spec': {
        const spec = await connector.spec(request.spec, context);
        await writer.write({ spec: { protocol: FLOW_CAPTURE_PROTOCOL_VERSION, ...withoutProtocol(spec) } });
        return;
      }
      case 'discover': {
        // Refused here rather than when the user publishes the catalog: keys must be required and keyable.
        const bindings = (await connector.discover(request.discover, context)).map(withRequiredCollectionKey);
        await writer.write({ discovered: { bindings } });
        return;
      }
      case 'validate': {
        const bindings = await connector.validate(request.validate, context);
        if (bindings.length !== request.validate.bindings.length) {
          throw new FlowRequestError(
            'FLOW_INVALID_REQUEST',
            lineNumber,
            `validate answered ${bindings.length} binding(s) for ${request.validate.bindings.length} requested`,
          );
        }
        await writer.write({ validated: { bindings } });
        return;
      }
      case 'apply': {
        const actionDescription = await connector.apply(request.apply, context);
        await writer.write({ applied: actionDescription ? { actionDescription } : {} });
        return;
      }
      case 'open': {
        if (session)
          throw new FlowRequestError('FLOW_INVALID_REQUEST', lineNumber, 'a second open in one session');
        const plan = await connector.open(request.open, context);
        const maxBuffered = checkPositive(
          'maxBufferedBytesPerTask',
          options.maxBufferedBytesPerTask ?? DEFAULT_MAX_BUFFERED_BYTES_PER_TASK,
        );
        session = new CaptureSession(request.open, plan, writer, logger, maxBuffered);
        await writer.write({
          opened: plan.explicitAcknowledgements ? { explicitAcknowledgements: true } : {},
        });
        logger.status('Capture started.');
        if (options.progress !== undefined) {
          progress = options.progress();
          progressTimer = setInterval(showProgress, PROGRESS_INTERVAL_MS);
          progressTimer.unref();
        }
        const running = session;
        void running.run().then(
          () => {
            logger.info('capture session finished', { tasks: plan.tasks.length });
            finish(0);
          },
          (error: unknown) => {
            if (stopRequested) {
              logger.info('capture stopped', { reason: describe(error) });
              finish(0);
            } else {
              finish(fail(error));
            }
          },
        );
        return;
      }
      case 'acknowledge': {
        if (!session)
          throw new FlowRequestError('FLOW_INVALID_REQUEST', lineNumber, 'acknowledge before open');
        session.acknowledge(request.acknowledge.checkpoints);
        return;
      }
    }
  };

  const readRequests = async (iterator: AsyncIterator<Buffer | string>): Promise<void> => {
    const splitter = new LineSplitter(
      checkPositive('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_REQUEST_LINE_BYTES),
      (lineNumber, max) =>
        new FlowRequestError('FLOW_LINE_TOO_LONG', lineNumber, `request line is longer than ${max} bytes`),
    );
    let linesRead = 0;
    const processLine = async (line: string) => {
      linesRead += 1;
      const lineNumber = linesRead;
      // Blank lines carry no request; tolerate them rather than fail a session.
      if (line.trim() === '') return;
      const request = parseCaptureRequestLine(line, lineNumber);
      logger.debug('received request', { type: request.type, line: lineNumber });
      await handle(request, lineNumber);
    };
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      for (const line of splitter.push(chunk)) await processLine(line);
    }
    const last = splitter.end();
    if (last !== undefined) await processLine(last);
    if (!session) {
      finish(0);
    } else {
      logger.debug('stdin closed during the capture session; continuing');
    }
  };

  if (handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  const onAbort = () => onSignal('a stop request');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = (options.stdin ?? process.stdin)[Symbol.asyncIterator]();
  readRequests(iterator).catch((error: unknown) => {
    session?.stop(error);
    finish(fail(error));
  });

  const code = await finished;
  options.signal?.removeEventListener('abort', onAbort);
  if (handleSignals) {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
  if (code === 0) {
    try {
      await writer.flush();
    } catch (error) {
      guard?.restore();
      return fail(error);
    }
  }
  endProgress(code === 0 ? 'done' : 'failed');
  // Stop reading stdin; the runtime may keep it open.
  void iterator.return?.()?.catch?.(() => undefined);
  guard?.restore();
  return code;
}

function withoutProtocol<T extends object>(spec: T): Omit<T, 'protocol'> {
  const { protocol: _ignored, ...rest } = spec as T & { protocol?: unknown };
  return rest;
}

/**
 * Runs a connector as the process's entry point: {@link runCaptureConnector} with the process's
 * stdin/stdout/argv, then exits with its code. Errors that escape everything (an exception thrown
 * from a timer, an unhandled rejection) also end with the readable last line and exit code 1.
 */
export function main(connector: CaptureConnector, options: RunCaptureConnectorOptions = {}): void {
  const logger =
    options.logger ?? new ConnectorLogger({ level: logLevelFromArgv(options.argv ?? process.argv.slice(2)) });
  const crash = (error: unknown) => {
    reportFatal(logger, error);
    exitAfterStdout(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  runCaptureConnector(connector, { ...options, logger }).then(exitAfterStdout, crash);
}

/**
 * Exits once everything written to stdout has left the process. `process.exit` right away can drop
 * responses still queued on a pipe (seen on Node 24: the last documents and checkpoint of a session),
 * which the runtime would then never commit; a write callback runs only after the writes before it.
 */
function exitAfterStdout(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
