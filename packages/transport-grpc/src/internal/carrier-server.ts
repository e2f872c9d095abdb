import { randomUUID } from 'node:crypto';
import type { ServerInterceptor } from '@grpc/grpc-js';
import { type CallContext, ServerError, Status } from 'nice-grpc-common';
import type { GrpcCarrier } from '../grpc-carrier.js';
import { loadGrpcJs, loadNiceGrpc } from './grpc-js-modules.cjs';
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
  /**
   * Resolves once the status of the call whose handler got `context` has been handed to the HTTP/2
   * session, so that it reaches the socket before anything written on the connection afterwards, or
   * once the call ended without one. The handler's own `finally` runs before the carrier writes the
   * status; this is how the plugin keeps RecordTransfer's status ahead of `confirm_complete`.
   */
  statusWritten(context: CallContext): Promise<void>;
  /**
   * Why the carrier itself ended the call whose handler got `context` (its signal aborted), when the
   * client did not: the engine's `grpc-timeout` expired, or the server was shut down. Undefined when the
   * engine cancelled or disconnected, or the call has not ended.
   */
  endedBy(context: CallContext): CarrierEnd | undefined;
}

/** A status the carrier ended a call with on its own. */
export interface CarrierEnd {
  readonly code: Status;
  readonly details: string;
}

/** Request metadata key under which the grpc-js carrier tags each call for {@link CarrierServer.statusWritten}. */
const callTagKey = 'x-sdk-internal-call-tag';

/**
 * grpc-js writes a call's status after the handler has returned, and tells nobody but its interceptors:
 * the listener's `onCancel` runs (on the next tick) once the trailers were sent, or once the call ended
 * without them. The interceptor tags each call's metadata so that the handler's context finds its call.
 */
function statusWrittenTracker(): {
  interceptor: ServerInterceptor;
  statusWritten: (context: CallContext) => Promise<void>;
  endedBy: (context: CallContext) => CarrierEnd | undefined;
} {
  const { ServerInterceptingCall } = loadGrpcJs();
  const pending = new Map<string, { written: Promise<void>; resolve: () => void; deadlineMs: number }>();
  const interceptor: ServerInterceptor = (_method, call) => {
    const tag = randomUUID();
    let resolve: () => void = () => undefined;
    const written = new Promise<void>((done) => {
      resolve = done;
    });
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
    pending.set(tag, { written, resolve, deadlineMs });
    const finish = () => {
      resolve();
      // Kept one more turn: the handler's abort listeners (run from this same cancel) may ask endedBy.
      setImmediate(() => pending.delete(tag));
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            // Set, not added: a client cannot choose the tag.
            metadata.set(callTagKey, tag);
            nextMetadata(metadata);
          },
          onCancel: finish,
        }),
    });
  };
  const entryOf = (context: CallContext) => {
    const tag = context.metadata.get(callTagKey);
    return tag === undefined ? undefined : pending.get(tag);
  };
  return {
    interceptor,
    statusWritten: (context) => entryOf(context)?.written ?? Promise.resolve(),
    // grpc-js ends a call at its deadline from below the interceptors, out of our sight.
    endedBy: (context) => deadlineEnd(entryOf(context)?.deadlineMs),
  };
}

/**
 * A call that ends at its `grpc-timeout` ended by the deadline, whichever side's timer fired first: the
 * client's own deadline timer cancels the call (RST_STREAM) at about the same moment as the server's.
 * Calls that end within this margin of their deadline count as ended by it (ms).
 */
const deadlineMarginMs = 50;

function deadlineEnd(deadlineAtMs: number | undefined): CarrierEnd | undefined {
  if (deadlineAtMs === undefined || Date.now() < deadlineAtMs - deadlineMarginMs) return undefined;
  return { code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' };
}

/** Set by the http2 carrier on the call's signal when the client cancelled or disconnected. */
const clientCancelledDetails = 'the client cancelled the call or disconnected';

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
      statusWritten: (context) => server.statusWritten(context),
      // The http2 carrier aborts a call's signal with the ServerError it ended the call with.
      endedBy: (context) => {
        const reason: unknown = context.signal.reason;
        if (!(reason instanceof ServerError) || reason.details === clientCancelledDetails) {
          return deadlineEnd(server.deadlineAtMs(context));
        }
        return { code: reason.code, details: reason.details };
      },
    };
  }
  const { ServerCredentials } = loadGrpcJs();
  const { createServer } = loadNiceGrpc();
  const tracker = statusWrittenTracker();
  // nice-grpc hands its options to grpc-js's Server, whose ServerOptions take interceptors.
  const serverOptions = { ...unlimitedMessageSizeOptions, interceptors: [tracker.interceptor] };
  const server = createServer(serverOptions as Parameters<typeof createServer>[0]);
  server.add(sdkToolV2Definition, implementation);
  const credentials =
    tls === undefined
      ? ServerCredentials.createInsecure()
      : ServerCredentials.createSsl(null, [{ cert_chain: tls.certChain, private_key: tls.privateKey }]);
  return {
    listen: (host, port) => server.listen(`${bracketed(host)}:${port}`, credentials),
    shutdown: () => server.shutdown(),
    forceShutdown: () => server.forceShutdown(),
    statusWritten: tracker.statusWritten,
    endedBy: tracker.endedBy,
  };
}

/** `[::1]` for an IPv6 literal, the host unchanged otherwise. */
export function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
