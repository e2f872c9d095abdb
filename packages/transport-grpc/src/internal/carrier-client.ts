import type { Client } from 'nice-grpc';
import type { GrpcCarrier } from '../grpc-carrier.js';
import { loadGrpcJs, loadNiceGrpc } from './grpc-js-modules.cjs';
import { createHttp2GrpcChannel, createHttp2GrpcClient } from './http2/http2-grpc-client.js';
import {
  type SdkToolV2Definition,
  sdkToolV2Definition,
  unlimitedMessageSizeOptions,
} from './service-definition.js';

/** A `sdk.SdkToolV2` client and the channel under it, whichever carrier it is. */
export interface CarrierClient {
  readonly client: Client<SdkToolV2Definition>;
  /** Closes the channel; calls still running fail. */
  close(): void;
}

/** TLS settings of a carrier client (PEM). */
export interface CarrierClientTls {
  readonly rootCerts?: Buffer;
}

/** Connects (lazily, at the first call) to `address` (`host:port`) on the chosen carrier. */
export function createCarrierClient(
  carrier: GrpcCarrier,
  address: string,
  tls: CarrierClientTls | undefined,
): CarrierClient {
  if (carrier === 'http2') {
    const channel = createHttp2GrpcChannel(address, { tls });
    return { client: createHttp2GrpcClient(sdkToolV2Definition, channel), close: () => channel.close() };
  }
  const { ChannelCredentials } = loadGrpcJs();
  const { createChannel, createClientFactory } = loadNiceGrpc();
  const credentials =
    tls === undefined
      ? ChannelCredentials.createInsecure()
      : ChannelCredentials.createSsl(tls.rootCerts ?? null);
  const channel = createChannel(address, credentials, { ...unlimitedMessageSizeOptions });
  return {
    client: createClientFactory().create(sdkToolV2Definition, channel),
    close: () => channel.close(),
  };
}
