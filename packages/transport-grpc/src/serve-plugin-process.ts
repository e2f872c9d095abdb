import { TransportError } from './errors/transport-error.js';
import { resolveGrpcCarrier } from './grpc-carrier.js';
import { authTokenEnvVar, carrierEnvVar, serviceAddressEnvVar } from './internal/process-env.js';
import { type PluginServer, type PluginServerOptions, startPluginServer } from './plugin-server.js';
import type { SdkPluginClass } from './sdk-plugin.js';

/** Options of {@link servePluginProcess}: the server options, minus what the engine decides. */
export interface ServePluginProcessOptions extends Omit<PluginServerOptions, 'authToken' | 'host' | 'port'> {
  /** How long SIGTERM waits for the running session before cancelling it. Defaults to 5,000 ms. */
  shutdownTimeoutMs?: number;
}

function splitAddress(address: string): { host: string; port: number } {
  const separator = address.lastIndexOf(':');
  const port = Number(address.slice(separator + 1));
  if (separator <= 0 || !Number.isInteger(port) || port < 0) {
    throw new TransportError(
      'TRANSPORT_CONFIG',
      `${serviceAddressEnvVar} must be host:port, got '${address}'`,
    );
  }
  return { host: address.slice(0, separator), port };
}

/**
 * The main function of a plugin process launched by an engine: starts the server on loopback (or on
 * `$TOOL_SERVICE_ADDRESS` in service mode), requires the token from `$SDK_PLUGIN_AUTH_TOKEN` when one is
 * given, serves on the carrier named by `options.carrier`, else `$SDK_TRANSPORT_CARRIER`, else `'http2'`,
 * prints `ListenPort: <port>` on stdout, and shuts down gracefully on SIGTERM/SIGINT. Accepts
 * (and ignores) the AMP argv shape `start-sdk-tool-service <pkg> <tool> [--sdk-engine-server-address X]`.
 */
export async function servePluginProcess(
  pluginClass: SdkPluginClass,
  options: ServePluginProcessOptions = {},
): Promise<PluginServer> {
  const authToken = process.env[authTokenEnvVar] || undefined;
  // The token is for this process only: keep it out of anything the plugin spawns.
  delete process.env[authTokenEnvVar];
  const serviceAddress = process.env[serviceAddressEnvVar];
  const { host, port } = serviceAddress ? splitAddress(serviceAddress) : { host: '127.0.0.1', port: 0 };
  const { shutdownTimeoutMs, ...serverOptions } = options;
  const carrier = options.carrier ?? resolveGrpcCarrier(process.env[carrierEnvVar], carrierEnvVar);
  const server = await startPluginServer(pluginClass, { ...serverOptions, carrier, host, port, authToken });
  // The engine reads this exact line; other stdout output should stay minimal.
  process.stdout.write(`ListenPort: ${server.port}\n`);
  const stop = () => {
    void server.shutdown({ timeoutMs: shutdownTimeoutMs ?? 5_000 }).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}
