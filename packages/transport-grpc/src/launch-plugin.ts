import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { TransportError } from './errors/transport-error.js';
import { type GrpcCarrier, resolveGrpcCarrier } from './grpc-carrier.js';
import { pluginHostPath } from './internal/plugin-host-path.cjs';
import { authTokenEnvVar, carrierEnvVar } from './internal/process-env.js';
import { createPluginConnection, type PluginConnection } from './plugin-connection.js';

/** Options of {@link launchPlugin}. Durations in milliseconds. */
export interface LaunchPluginOptions {
  /**
   * A JS module whose export is an `SdkPluginClass`; it is run with this package's plugin host
   * (`node plugin-host.js <modulePath> [exportName]`). Give this or `command`.
   */
  modulePath?: string;
  /** Export holding the plugin class. Defaults to `default`, then the only class exported. */
  exportName?: string;
  /** Any executable that serves `sdk.SdkToolV2` and prints `ListenPort: <port>` (e.g. a Python AMP plugin). */
  command?: string;
  /** Arguments of `command`. Defaults to none. */
  args?: readonly string[];
  /**
   * Node options placed before the plugin host (with `modulePath`), e.g. `["--max-old-space-size=512"]`.
   * Defaults to none. For bulk data on a machine with few cores, `["--no-concurrent-marking"]` here and
   * in the engine's own process trades some memory for throughput (see the README's Benchmarks).
   */
  nodeArgs?: readonly string[];
  /** Environment of the plugin process. Defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Working directory. Defaults to this process's. */
  cwd?: string;
  /**
   * Auth token handed to the plugin in `SDK_PLUGIN_AUTH_TOKEN`. Defaults to 32 random bytes (hex);
   * `false` sends none (a foreign plugin then serves loopback without authentication).
   */
  authToken?: string | false;
  /**
   * gRPC implementation of the engine's calls (see {@link GrpcCarrier}). With `modulePath`, the plugin
   * host serves on the same one (it is handed `SDK_TRANSPORT_CARRIER`); a `command` serves on whatever
   * it is built with, which either carrier talks to. Defaults to `'http2'`.
   */
  carrier?: GrpcCarrier;
  /** Host to connect to. Defaults to `"127.0.0.1"` (`"localhost"` for a `command`). */
  host?: string;
  /** How long to wait for `ListenPort: <port>`. Defaults to 30,000 ms. */
  startTimeoutMs?: number;
  /** How long `close()` waits after SIGTERM before SIGKILL. Defaults to 5,000 ms. */
  shutdownTimeoutMs?: number;
  /** Receives the plugin's stderr lines. Defaults to forwarding them to this process's stderr. */
  onStderr?: (line: string) => void;
  /** Receives the plugin's stdout lines other than the port line. Defaults to ignoring them. */
  onStdout?: (line: string) => void;
}

/** A plugin process started by {@link launchPlugin}, with a connection to it. */
export interface PluginProcess extends PluginConnection {
  /** Process id. */
  readonly pid: number;
  /** Port the plugin printed. */
  readonly port: number;
  /** Resolves with the exit code (or signal name) when the process exits. */
  readonly exited: Promise<number | string>;
  /** Sends SIGKILL at once (for tests of a dying plugin). */
  kill(signal?: NodeJS.Signals): void;
}

const portLine = /^ListenPort:\s*(\d+)\s*$/;
const stderrTailLines = 20;

/**
 * Launches a plugin process the way the AMP engine does: spawns it, reads `ListenPort: <port>` from
 * its stdout (other lines and non-numeric ports are tolerated), and connects. The random auth token
 * protects the port from other local users. If the process dies, runs fail at once with
 * `TRANSPORT_PLUGIN_EXITED`; `close()` sends SIGTERM and waits for a graceful exit.
 */
export async function launchPlugin(options: LaunchPluginOptions): Promise<PluginProcess> {
  if ((options.modulePath === undefined) === (options.command === undefined)) {
    throw new TransportError('TRANSPORT_CONFIG', 'launchPlugin needs exactly one of modulePath and command');
  }
  const carrier = resolveGrpcCarrier(options.carrier, 'carrier');
  const authToken =
    options.authToken === false ? undefined : (options.authToken ?? randomBytes(32).toString('hex'));
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  delete env[authTokenEnvVar];
  if (authToken !== undefined) env[authTokenEnvVar] = authToken;
  if (options.modulePath !== undefined) env[carrierEnvVar] = carrier;
  const command = options.command ?? process.execPath;
  const args =
    options.modulePath !== undefined
      ? [
          ...(options.nodeArgs ?? []),
          pluginHostPath(),
          options.modulePath,
          ...(options.exportName !== undefined ? [options.exportName] : []),
        ]
      : [...(options.args ?? [])];

  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderrTail: string[] = [];
  const onStderr = options.onStderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  let exitDescription: string | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      resolve(signal ?? code ?? 0);
    });
  });
  child.once('error', () => undefined);
  if (child.stderr !== null) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > stderrTailLines) stderrTail.shift();
      onStderr(line);
    });
  }
  const describeExit = () =>
    `the plugin process ${child.pid ?? '?'} ended (${exitDescription ?? 'unknown'})` +
    (stderrTail.length > 0 ? `; stderr ends with:\n${stderrTail.join('\n')}` : '');

  const port = await new Promise<number>((resolve, reject) => {
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new TransportError(
          'TRANSPORT_PLUGIN_START',
          `no 'ListenPort: <port>' line within ${startTimeoutMs} ms`,
        ),
      );
    }, startTimeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new TransportError('TRANSPORT_PLUGIN_START', `cannot start '${command}': ${error.message}`, {
          cause: error,
        }),
      );
    });
    void exited.then(async () => {
      clearTimeout(timer);
      // Let stderr drain so the error shows why the plugin died.
      await new Promise((settle) => setImmediate(settle));
      reject(new TransportError('TRANSPORT_PLUGIN_START', `${describeExit()} before printing its port`));
    });
    if (child.stdout === null) return;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = portLine.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      } else {
        options.onStdout?.(line);
      }
    });
  });

  const host = options.host ?? (options.command !== undefined ? 'localhost' : '127.0.0.1');
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const exitError = () => new TransportError('TRANSPORT_PLUGIN_EXITED', describeExit());
  const connection = createPluginConnection(
    { address: `${host}:${port}`, authToken, carrier },
    {
      explainFailure: async (error) => {
        // A dead plugin shows up first as a broken call; wait briefly for the exit to name it.
        await Promise.race([exited, new Promise((settle) => setTimeout(settle, 200))]);
        return hasExited && error.code !== 'TRANSPORT_CANCELLED' && error.code !== 'TRANSPORT_TIMEOUT'
          ? new TransportError('TRANSPORT_PLUGIN_EXITED', describeExit(), { cause: error })
          : error;
      },
      onClose: async () => {
        if (hasExited) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.shutdownTimeoutMs ?? 5_000);
        await exited;
        clearTimeout(timer);
      },
    },
  );
  void exited.then(() => {
    for (const run of connection.activeRuns) run.failWith(exitError());
  });

  return {
    pid: child.pid ?? -1,
    port,
    exited,
    address: connection.address,
    carrier: connection.carrier,
    startRun: (runOptions) => connection.startRun(runOptions),
    close: () => connection.close(),
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
  };
}
