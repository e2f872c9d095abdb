import { EngineRun, type EngineRunOptions } from './engine-run.js';
import type { TransportError } from './errors/transport-error.js';
import { type GrpcCarrier, resolveGrpcCarrier } from './grpc-carrier.js';
import { createCarrierClient } from './internal/carrier-client.js';

/** TLS settings of the engine side (PEM). */
export interface PluginConnectionTlsOptions {
  /** Certificates to trust; defaults to the system roots. */
  readonly rootCerts?: Buffer;
}

/** Options of {@link connectToPlugin}. */
export interface PluginConnectionOptions {
  /** `host:port` of the plugin server, e.g. `"127.0.0.1:50051"`. Required. */
  address: string;
  /** Token the plugin was started with; sent as `authorization: Bearer <token>`. Defaults to none. */
  authToken?: string;
  /** Connect with TLS. Defaults to plaintext. */
  tls?: PluginConnectionTlsOptions;
  /**
   * gRPC implementation making the calls (see {@link GrpcCarrier}); either one talks to any plugin
   * server. Defaults to `'http2'`.
   */
  carrier?: GrpcCarrier;
}

/** A channel to a running plugin server; start runs on it. */
export interface PluginConnection {
  /** `host:port` connected to. */
  readonly address: string;
  /** The gRPC implementation making the calls. */
  readonly carrier: GrpcCarrier;
  /** Starts a run (initialises the plugin). One run at a time per plugin process. */
  startRun(options?: EngineRunOptions): EngineRun;
  /** Closes the channel; runs still going fail. Idempotent. */
  close(): Promise<void>;
}

/** @internal Hooks a launcher adds to a connection. */
export interface PluginConnectionHooks {
  explainFailure?: (error: TransportError) => Promise<TransportError>;
  onClose?: () => Promise<void>;
}

/** @internal Shared by {@link connectToPlugin} and `launchPlugin`. */
export function createPluginConnection(
  options: PluginConnectionOptions,
  hooks: PluginConnectionHooks = {},
): PluginConnection & { readonly activeRuns: ReadonlySet<EngineRun> } {
  const carrier = resolveGrpcCarrier(options.carrier, 'carrier');
  const { client, close: closeChannel } = createCarrierClient(carrier, options.address, options.tls);
  const activeRuns = new Set<EngineRun>();
  let closed: Promise<void> | undefined;
  return {
    address: options.address,
    carrier,
    activeRuns,
    startRun(runOptions = {}) {
      const run = new EngineRun(
        {
          client,
          authToken: options.authToken,
          explainFailure: hooks.explainFailure ?? (async (error) => error),
          onSettled: (settled) => activeRuns.delete(settled),
        },
        runOptions,
      );
      activeRuns.add(run);
      return run;
    },
    close() {
      closed ??= (async () => {
        for (const run of activeRuns) run.cancel('the plugin connection was closed');
        closeChannel();
        await hooks.onClose?.();
      })();
      return closed;
    },
  };
}

/**
 * Connects to a plugin server that is already running (started by `startPluginServer`, a launcher of
 * ours, or a Python AMP plugin). Message size limits are lifted as in the AMP SDK.
 */
export function connectToPlugin(options: PluginConnectionOptions): PluginConnection {
  return createPluginConnection(options);
}
