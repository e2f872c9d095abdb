import { timingSafeEqual } from 'node:crypto';
import { type CallContext, ServerError, Status } from 'nice-grpc-common';
import { TransportError } from './errors/transport-error.js';
import { type GrpcCarrier, resolveGrpcCarrier } from './grpc-carrier.js';
import { bracketed, type CarrierEnd, createCarrierServer } from './internal/carrier-server.js';
import { asTransportError, toServerError } from './internal/error-status.js';
import { isLoopbackHost } from './internal/loopback.js';
import { PluginSession, type PluginSessionSettings } from './internal/plugin-session.js';
import {
  authMetadataKey,
  type ControlInMessage,
  type ControlOutMessage,
  featureOrderedCompletion,
  featuresMetadataKey,
  OutputMessageType,
  type RecordTransferInMessage,
  type RecordTransferOutMessage,
  type SdkToolV2Implementation,
} from './internal/service-definition.js';
import type { SdkPluginClass } from './sdk-plugin.js';

/** TLS material for the plugin server (PEM). */
export interface PluginServerTlsOptions {
  /** Server certificate chain, PEM. */
  readonly certChain: Buffer;
  /** Server private key, PEM. */
  readonly privateKey: Buffer;
}

/** Options of {@link startPluginServer}. Every limit is in bytes, every duration in milliseconds. */
export interface PluginServerOptions {
  /** Interface to bind. Defaults to `"127.0.0.1"`. Anything but loopback requires `authToken`. */
  host?: string;
  /** Port to bind; 0 picks a free one. Defaults to 0. */
  port?: number;
  /** When set, every call must carry `authorization: Bearer <authToken>`. Defaults to none (loopback only). */
  authToken?: string;
  /** Serve TLS with this certificate instead of plaintext. Defaults to plaintext. */
  tls?: PluginServerTlsOptions;
  /**
   * gRPC implementation serving the calls (see {@link GrpcCarrier}); any engine can call either.
   * Defaults to `'http2'`.
   */
  carrier?: GrpcCarrier;
  /** Largest reassembled input stream, per connection. Defaults to 268,435,456 (256 MiB). */
  maxStreamBytes?: number;
  /** Decoded input waiting for the plugin before reading pauses (backpressure). Defaults to 67,108,864 (64 MiB). */
  maxQueuedBytes?: number;
  /** Largest `OutgoingRecords.data` piece. Defaults to 1,000,000, as the AMP SDK. */
  maxOutputChunkBytes?: number;
  /** Output bytes buffered ahead of gRPC before `writeToAnchor` waits. Defaults to 4,194,304 (4 MiB). */
  outputBufferBytes?: number;
  /**
   * Bytes of incomplete input streams held at once, summed over every connection of a run (each one is
   * also capped by `maxStreamBytes`). Reassembly cannot pause on a half-received stream, so this is a hard
   * limit: passing it ends the run with `TRANSPORT_LIMIT_EXCEEDED` naming the anchor and connection whose
   * bytes crossed it. Defaults to 1,073,741,824 (1 GiB, four streams of the default `maxStreamBytes`).
   */
  maxPendingStreamBytes?: number;
  /** How long `io.translateMsg` waits for the engine. Defaults to 30,000 ms. */
  translateTimeoutMs?: number;
  /**
   * How long `io.decryptPassword` and the DCM calls wait for the engine, unless a call passes its own
   * `timeoutMs`. Defaults to 30,000 ms.
   */
  requestTimeoutMs?: number;
  /** Send plugin stacks to the engine in error trailers. Defaults to `SDK_TRANSPORT_DEBUG === "1"`. */
  debug?: boolean;
}

/** A running plugin server. */
export interface PluginServer {
  /** The gRPC implementation serving the calls. */
  readonly carrier: GrpcCarrier;
  /** The bound port. */
  readonly port: number;
  /** `host:port` as bound. */
  readonly address: string;
  /**
   * Stops accepting calls and waits for the running session to end, up to `timeoutMs` (default
   * 5,000 ms), then cancels what is left. Idempotent.
   */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
  /** Cancels every call at once. */
  forceShutdown(): void;
  /** Resolves when the current run (if any) has ended; for tests and graceful exits. */
  whenIdle(): Promise<void>;
  /** Largest decoded-but-undelivered input bytes seen in any session (memory-bound diagnostics). */
  readonly queuedBytesHighWater: number;
  /** Largest sum of incomplete input stream bytes held at once in any session (memory-bound diagnostics). */
  readonly pendingStreamBytesHighWater: number;
}

const defaultSettings: PluginSessionSettings = {
  maxStreamBytes: 256 * 1024 * 1024,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxOutputChunkBytes: 1_000_000,
  outputBufferBytes: 4 * 1024 * 1024,
  translateTimeoutMs: 30_000,
  requestTimeoutMs: 30_000,
  maxPendingStreamBytes: 1024 * 1024 * 1024,
};

/** Room for a records message's own fields (anchor and connection names) around its data. */
const messageOverheadBytes = 64 * 1024;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TransportError('TRANSPORT_CONFIG', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function tokenMatches(presented: string | undefined, expected: Buffer): boolean {
  if (presented === undefined) return false;
  const candidate = Buffer.from(presented);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/**
 * Starts the gRPC server of a plugin: `sdk.SdkToolV2` with the Control and RecordTransfer streams, one
 * run at a time (a second concurrent run is refused with `FAILED_PRECONDITION`). gRPC's own message
 * size limits are lifted as in the AMP SDK; memory is bounded by the limits in `options` instead.
 */
export async function startPluginServer(
  pluginClass: SdkPluginClass,
  options: PluginServerOptions = {},
): Promise<PluginServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && (options.authToken === undefined || options.authToken === '')) {
    throw new TransportError('TRANSPORT_CONFIG', `binding '${host}' (not loopback) requires an authToken`);
  }
  const settings: PluginSessionSettings = {
    maxStreamBytes: positive('maxStreamBytes', options.maxStreamBytes, defaultSettings.maxStreamBytes),
    maxQueuedBytes: positive('maxQueuedBytes', options.maxQueuedBytes, defaultSettings.maxQueuedBytes),
    maxOutputChunkBytes: positive(
      'maxOutputChunkBytes',
      options.maxOutputChunkBytes,
      defaultSettings.maxOutputChunkBytes,
    ),
    outputBufferBytes: positive(
      'outputBufferBytes',
      options.outputBufferBytes,
      defaultSettings.outputBufferBytes,
    ),
    translateTimeoutMs: positive(
      'translateTimeoutMs',
      options.translateTimeoutMs,
      defaultSettings.translateTimeoutMs,
    ),
    requestTimeoutMs: positive(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      defaultSettings.requestTimeoutMs,
    ),
    maxPendingStreamBytes: positive(
      'maxPendingStreamBytes',
      options.maxPendingStreamBytes,
      defaultSettings.maxPendingStreamBytes,
    ),
  };
  const carrier = resolveGrpcCarrier(options.carrier, 'carrier');
  const debug = options.debug ?? process.env.SDK_TRANSPORT_DEBUG === '1';
  const expectedToken = options.authToken ? Buffer.from(`Bearer ${options.authToken}`) : undefined;

  let session: PluginSession | undefined;
  let queuedBytesHighWater = 0;
  let pendingStreamBytesHighWater = 0;

  const sessionFor = (stream: 'control' | 'records'): PluginSession => {
    if (session !== undefined) {
      const taken = stream === 'control' ? session.hasControl : session.hasRecords;
      if (!taken) return session;
      throw new TransportError(
        'TRANSPORT_PROTOCOL',
        `this plugin server runs one session at a time and is running one: the ${stream === 'control' ? 'Control' : 'RecordTransfer'} call was refused; start another plugin process for a concurrent run`,
      );
    }
    const created = new PluginSession(pluginClass, settings);
    session = created;
    void created.settled.then(() => {
      queuedBytesHighWater = Math.max(queuedBytesHighWater, created.queuedBytesHighWater);
      pendingStreamBytesHighWater = Math.max(
        pendingStreamBytesHighWater,
        created.pendingStreamBytesHighWater,
      );
      if (session === created) session = undefined;
    });
    return created;
  };

  const announceFeatures = (target: PluginSession, context: CallContext) => {
    const features = context.metadata.get(featuresMetadataKey) ?? '';
    if (features.split(',').includes(featureOrderedCompletion)) target.enableOrderedCompletion();
  };

  /** The session ends when a call does: with what the carrier says ended it, else the engine's cancel. */
  const watchCancel = (target: PluginSession, context: CallContext, call: 'Control' | 'RecordTransfer') => {
    context.signal.addEventListener(
      'abort',
      () => {
        const ended = endedBy(context);
        if (ended === undefined) {
          target.fail(
            new TransportError('TRANSPORT_CANCELLED', 'the engine cancelled the call or disconnected'),
          );
        } else if (ended.code === Status.DEADLINE_EXCEEDED) {
          target.fail(
            new TransportError(
              'TRANSPORT_TIMEOUT',
              `the ${call} call reached the deadline the engine set for it (grpc-timeout)`,
            ),
          );
        } else {
          target.fail(
            new TransportError(
              'TRANSPORT_CANCELLED',
              `the plugin server ended the ${call} call: ${Status[ended.code]}: ${ended.details}`,
            ),
          );
        }
      },
      { once: true },
    );
  };

  /** A call refused because a session is running: FAILED_PRECONDITION, the code in the trailers. */
  const busyRefusal = (refusal: TransportError, context: CallContext): ServerError => {
    toServerError(refusal, context.trailer, debug);
    return new ServerError(Status.FAILED_PRECONDITION, refusal.message);
  };

  const authenticate = (context: CallContext) => {
    if (expectedToken !== undefined && !tokenMatches(context.metadata.get(authMetadataKey), expectedToken)) {
      throw new ServerError(
        Status.UNAUTHENTICATED,
        '[TRANSPORT_UNAUTHENTICATED] missing or wrong plugin auth token',
      );
    }
  };

  // Bound once the server exists; the handlers run only after that.
  let statusWritten: (context: CallContext) => Promise<void> = () => Promise.resolve();
  let endedBy: (context: CallContext) => CarrierEnd | undefined = () => undefined;

  const implementation: SdkToolV2Implementation = {
    async *control(
      requests: AsyncIterable<ControlInMessage>,
      context: CallContext,
    ): AsyncIterable<ControlOutMessage> {
      authenticate(context);
      let target: PluginSession;
      try {
        target = sessionFor('control');
      } catch (error) {
        const refusal = asTransportError(error, 'TRANSPORT_PROTOCOL', 'Control refused');
        // Said in band too, for AMP engines that only read output messages.
        yield { outputMessage: { messageType: OutputMessageType.error, message: refusal.message } };
        throw busyRefusal(refusal, context);
      }
      watchCancel(target, context, 'Control');
      announceFeatures(target, context);
      target.attachControl(requests);
      try {
        yield* target.controlOut;
      } catch (error) {
        throw toServerError(
          asTransportError(error, 'TRANSPORT_PROTOCOL', 'Control failed'),
          context.trailer,
          debug,
        );
      } finally {
        target.controlStreamFinished();
      }
    },
    async *recordTransfer(
      requests: AsyncIterable<RecordTransferInMessage>,
      context: CallContext,
    ): AsyncIterable<RecordTransferOutMessage> {
      authenticate(context);
      let target: PluginSession;
      try {
        target = sessionFor('records');
      } catch (error) {
        throw busyRefusal(asTransportError(error, 'TRANSPORT_PROTOCOL', 'RecordTransfer refused'), context);
      }
      watchCancel(target, context, 'RecordTransfer');
      announceFeatures(target, context);
      target.attachRecords(requests);
      try {
        yield* target.recordOut;
      } catch (error) {
        throw toServerError(
          asTransportError(error, 'TRANSPORT_PROTOCOL', 'RecordTransfer failed'),
          context.trailer,
          debug,
        );
      } finally {
        // The carrier writes this call's status only after the handler returns: completion waits for
        // it, so that RecordTransfer's status reaches the socket before confirm_complete (AMP order).
        target.recordStreamFinished(statusWritten(context));
      }
    },
  };

  // A records piece larger than a whole stream may be is refused by its length prefix, before it is read.
  const maxMessageBytes = settings.maxStreamBytes + messageOverheadBytes;
  const server = createCarrierServer(carrier, implementation, { tls: options.tls, maxMessageBytes });
  statusWritten = (context) => server.statusWritten(context);
  endedBy = (context) => server.endedBy(context);
  const bindHost = bracketed(host);
  let port: number;
  try {
    port = await server.listen(host, options.port ?? 0);
  } catch (error) {
    throw new TransportError('TRANSPORT_CONFIG', `cannot listen on ${bindHost}:${options.port ?? 0}`, {
      cause: error,
    });
  }

  let shutdownPromise: Promise<void> | undefined;
  return {
    carrier,
    port,
    address: `${bindHost}:${port}`,
    get queuedBytesHighWater() {
      return Math.max(queuedBytesHighWater, session?.queuedBytesHighWater ?? 0);
    },
    get pendingStreamBytesHighWater() {
      return Math.max(pendingStreamBytesHighWater, session?.pendingStreamBytesHighWater ?? 0);
    },
    whenIdle: async () => {
      while (session !== undefined) await session.settled;
    },
    forceShutdown: () => server.forceShutdown(),
    shutdown: (shutdownOptions = {}) => {
      shutdownPromise ??= (async () => {
        const timeoutMs = shutdownOptions.timeoutMs ?? 5_000;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, timeoutMs);
        });
        await Promise.race([server.shutdown(), timedOut]);
        clearTimeout(timer);
      })();
      return shutdownPromise;
    },
  };
}
