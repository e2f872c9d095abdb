import { ServerCredentials } from '@grpc/grpc-js';
import { createServer } from 'nice-grpc';
import type { GrpcCarrier } from '../grpc-carrier.js';
import { createHttp2GrpcServer } from './http2/http2-grpc-server.js';
import {
  type SdkToolV2Implementation,
  sdkToolV2Definition,
  unlimitedMessageSizeOptions,
} from './service-definition.js';

/** What the plugin server needs of a gRPC server, whichever carrier it is. */
export interface CarrierServer {
  /** Binds and resolves with the port. `host` as given by the user (IPv6 without brackets or with). */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting calls and resolves when the running ones have ended. */
  shutdown(): Promise<void>;
  /** Cancels every call at once. */
  forceShutdown(): void;
}

/** TLS material of a carrier server (PEM). */
export interface CarrierServerTls {
  readonly certChain: Buffer;
  readonly privateKey: Buffer;
}

/** Serves `sdk.SdkToolV2` with `implementation` on the chosen carrier. */
export function createCarrierServer(
  carrier: GrpcCarrier,
  implementation: SdkToolV2Implementation,
  options: {
    readonly tls: CarrierServerTls | undefined;
    /**
     * Largest message the `'http2'` carrier reads (refused by its length prefix, before buffering).
     * grpc-js keeps gRPC's limits lifted, as the AMP SDK does.
     */
    readonly maxMessageBytes: number;
  },
): CarrierServer {
  const { tls } = options;
  if (carrier === 'http2') {
    const server = createHttp2GrpcServer({ tls, maxMessageBytes: options.maxMessageBytes });
    server.add(sdkToolV2Definition, implementation);
    return {
      listen: (host, port) => server.listen(unbracketed(host), port),
      shutdown: () => server.shutdown(),
      forceShutdown: () => server.forceShutdown(),
    };
  }
  const server = createServer({ ...unlimitedMessageSizeOptions });
  server.add(sdkToolV2Definition, implementation);
  const credentials =
    tls === undefined
      ? ServerCredentials.createInsecure()
      : ServerCredentials.createSsl(null, [{ cert_chain: tls.certChain, private_key: tls.privateKey }]);
  return {
    listen: (host, port) => server.listen(`${bracketed(host)}:${port}`, credentials),
    shutdown: () => server.shutdown(),
    forceShutdown: () => server.forceShutdown(),
  };
}

/** `[::1]` for an IPv6 literal, the host unchanged otherwise. */
export function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
