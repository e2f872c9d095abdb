import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FlowConnectorError } from '../errors/flow-connector-error';
import type { ConnectorLogger } from '../io/connector-logger';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { LineSplitter } from './line-splitter';

/** How to run one command of a wrapped connector. */
export interface ChildCommand {
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Names the connector in errors. */
  connector: string;
  logger: ConnectorLogger;
  maxLineBytes: number;
  /** `'fail'`: a non-JSON stdout line is an error; `'warn'`: logged and skipped. */
  onInvalidLine: 'fail' | 'warn';
  /** The stream being read, for errors. */
  currentStream: () => string;
  /** Sees every parsed message as soon as it is parsed (to track the current stream). */
  observe?: (message: JsonObject) => void;
  signal?: AbortSignal;
}

/**
 * Runs a wrapped connector command and yields its stdout as batches of JSON objects (one batch per
 * chunk read). Stderr lines become log lines. Throws {@link FlowConnectorError}: an invalid line is
 * `FLOW_CONNECTOR_OUTPUT`, a non-zero exit or a kill is `FLOW_CONNECTOR_EXITED` (with its last stderr
 * line), both naming the connector and current stream.
 */
export async function* childJsonLines(command: ChildCommand): AsyncGenerator<JsonObject[], void> {
  const child = spawn(command.command, [...command.args], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastStderr = '';
  let spawnError: Error | undefined;
  const stderrSplitter = new LineSplitter(1024 * 1024, () => new Error('stderr line too long'));
  child.stderr.on('data', (chunk: Buffer) => {
    try {
      for (const line of stderrSplitter.push(chunk)) {
        if (line.trim() === '') continue;
        lastStderr = line;
        command.logger.info(line, { connector: command.connector, source: 'stderr' });
      }
    } catch {
      // An endless stderr line is truncated rather than fatal.
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const onAbort = () => child.kill('SIGTERM');
  command.signal?.addEventListener('abort', onAbort, { once: true });
  const splitter = new LineSplitter(
    command.maxLineBytes,
    (lineNumber, max) =>
      new FlowConnectorError(
        'FLOW_CONNECTOR_OUTPUT',
        command.connector,
        command.currentStream(),
        `stdout line ${lineNumber} is longer than ${max} bytes`,
      ),
  );
  let linesRead = 0;
  const parse = (line: string): JsonObject | undefined => {
    linesRead += 1;
    if (line.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      command.observe?.(value as JsonObject);
      return value as JsonObject;
    }
    const preview = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    if (command.onInvalidLine === 'warn') {
      command.logger.warn('skipping a stdout line that is not a JSON message', {
        connector: command.connector,
        line: preview,
      });
      return undefined;
    }
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_OUTPUT',
      command.connector,
      command.currentStream(),
      `stdout line ${linesRead} is not a JSON message: ${JSON.stringify(preview)}`,
    );
  };
  let completed = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      const batch: JsonObject[] = [];
      for (const line of splitter.push(chunk)) {
        const message = parse(line);
        if (message) batch.push(message);
      }
      if (batch.length > 0) yield batch;
    }
    const last = splitter.end();
    if (last !== undefined) {
      const message = parse(last);
      if (message) yield [message];
    }
    completed = true;
  } finally {
    command.signal?.removeEventListener('abort', onAbort);
    if (!completed) child.kill('SIGKILL');
  }
  const exit = await exited;
  if (spawnError) {
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_EXITED',
      command.connector,
      '',
      `could not start: ${spawnError.message}`,
      {
        cause: spawnError,
      },
    );
  }
  if (exit.code !== 0 && !command.signal?.aborted) {
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_EXITED',
      command.connector,
      command.currentStream(),
      `${how}${lastStderr ? `; last stderr line: ${lastStderr}` : ''}`,
    );
  }
}

/** Writes JSON files (mode 0600, they may hold credentials) into a fresh temporary directory. */
async function writeJsonFiles(
  files: Record<string, JsonValue>,
): Promise<{ directory: string; paths: Record<string, string> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'flow-shim-'));
  const paths: Record<string, string> = {};
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(directory, `${name}.json`);
    await writeFile(file, JSON.stringify(value), { mode: 0o600 });
    paths[name] = file;
  }
  return { directory, paths };
}

/** Runs `use` with the paths of temporary JSON files, removing them afterwards. */
export async function withJsonFiles<T>(
  files: Record<string, JsonValue>,
  use: (paths: Record<string, string>) => Promise<T>,
): Promise<T> {
  const { directory, paths } = await writeJsonFiles(files);
  try {
    return await use(paths);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Like {@link withJsonFiles} for a generator: the files live as long as it runs. */
export async function* withJsonFilesStreaming<T>(
  files: Record<string, JsonValue>,
  use: (paths: Record<string, string>) => AsyncIterable<T>,
): AsyncGenerator<T, void> {
  const { directory, paths } = await writeJsonFiles(files);
  try {
    yield* use(paths);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Runs a wrapped connector command to completion and returns its whole stdout (for outputs that
 * are one JSON document, possibly pretty-printed, like a Singer catalog). Throws
 * {@link FlowConnectorError} `FLOW_CONNECTOR_EXITED` on a non-zero exit and `FLOW_CONNECTOR_OUTPUT`
 * when stdout exceeds `maxOutputBytes`.
 */
export async function childOutput(
  command: Omit<ChildCommand, 'onInvalidLine' | 'currentStream' | 'maxLineBytes'> & {
    maxOutputBytes: number;
  },
): Promise<string> {
  const child = spawn(command.command, [...command.args], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastStderr = '';
  let spawnError: Error | undefined;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lastStderr = line;
      command.logger.info(line, { connector: command.connector, source: 'stderr' });
    }
  });
  child.on('error', (error) => {
    spawnError = error;
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  child.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > command.maxOutputBytes) {
      tooLarge = true;
      child.kill('SIGKILL');
      return;
    }
    chunks.push(chunk);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (spawnError) {
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_EXITED',
      command.connector,
      '',
      `could not start: ${spawnError.message}`,
      {
        cause: spawnError,
      },
    );
  }
  if (tooLarge) {
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_OUTPUT',
      command.connector,
      '',
      `output is larger than ${command.maxOutputBytes} bytes`,
    );
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_EXITED',
      command.connector,
      '',
      `${how}${lastStderr ? `; last stderr line: ${lastStderr}` : ''}`,
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}
