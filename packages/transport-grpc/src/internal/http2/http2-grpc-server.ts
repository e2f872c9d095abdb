/**
 * A gRPC server on `node:http2` (PROTOCOL-HTTP2), serving bidi-streaming methods of nice-grpc service
 * definitions with the handler shapes nice-grpc uses, so that the plugin server can switch carriers.
 */
import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TsProtoServiceDefinition } from 'nice-grpc';
import { type CallContext, Status } from 'nice-grpc-common';
import { partsDecoderOf, partsEncoderOf } from './encoded-parts.js';
import {
  isGrpcContentType,
  respondAndEnd,
  responseHeaderBase,
  statusHeaders,
} from './grpc-server-responses.js';
import { type ServedMethod, ServerCall } from './http2-server-call.js';
import { type Http2SizeOptions, readAheadBytes, resolveHttp2Sizes, writeAheadBytes } from './http2-sizes.js';

/** Options of {@link createHttp2GrpcServer}: the HTTP/2 sizes (bytes; see {@link Http2SizeOptions}) and TLS. */
export interface Http2GrpcServerOptions extends Http2SizeOptions {
  /** Serve HTTP/2 over TLS (ALPN `h2`) with this PEM certificate chain and key. Defaults to plaintext h2c. */
  tls?: { certChain: Buffer; privateKey: Buffer };
}

/** A bidi-streaming method implementation, as nice-grpc takes it. */
export type BidiStreamingHandler<Request, Response> = (
  requests: AsyncIterable<Request>,
  context: CallContext,
) => AsyncIterable<Response>;

/** The request message type of a ts-proto style method definition (what `requestType.decode` returns). */
export type Http2GrpcRequestOf<Method> = Method extends {
  requestType: { decode(input: Uint8Array): infer Request };
}
  ? Request
  : never;

/** The response message type of a ts-proto style method definition (what `responseType.encode` takes). */
export type Http2GrpcResponseOf<Method> = Method extends {
  responseType: { encode(message: infer Response): unknown };
}
  ? Response
  : never;

/** One bidi-streaming handler per method of `Definition`. */
export type Http2GrpcServiceImplementation<Definition extends TsProtoServiceDefinition> = {
  [Method in keyof Definition['methods']]: BidiStreamingHandler<
    Http2GrpcRequestOf<Definition['methods'][Method]>,
    Http2GrpcResponseOf<Definition['methods'][Method]>
  >;
};

/** A gRPC server on `node:http2`. */
export interface Http2GrpcServer {
  /**
   * Serves every method of `definition` at `/<fullName>/<Method name>`. Only bidi-streaming methods are
   * supported: a definition with any other kind throws a `TypeError` (nothing of it is added).
   */
  add<Definition extends TsProtoServiceDefinition>(
    definition: Definition,
    implementation: Http2GrpcServiceImplementation<Definition>,
  ): void;
  /** Binds `host:port` (0 picks a free port; IPv6 hosts accepted) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops accepting connections, sends GOAWAY on every session, and resolves once every running call
   * has ended and every connection closed. Idempotent.
   */
  shutdown(): Promise<void>;
  /** Aborts every running call's `context.signal` and destroys every session at once. Idempotent. */
  forceShutdown(): void;
  /**
   * Resolves once the status of the call whose handler got `context` has been handed to the HTTP/2
   * session (so it reaches the socket before anything written on the connection afterwards), or the
   * call ended without a status. Resolves at once for a context this server did not create.
   */
  statusWritten(context: CallContext): Promise<void>;
  /** When the `grpc-timeout` of the call whose handler got `context` expires (ms since the epoch), if it has one. */
  deadlineAtMs(context: CallContext): number | undefined;
}

/** Diagnostics of an {@link Http2GrpcServer}, for memory-bound tests. */
export interface Http2GrpcServerDiagnostics {
  /** Received request bytes waiting for handlers right now, summed over every call. */
  readonly bufferedRequestBytes: number;
  /** Largest value {@link bufferedRequestBytes} has had. */
  readonly bufferedRequestBytesHighWater: number;
}

class Http2GrpcServerImpl implements Http2GrpcServer, Http2GrpcServerDiagnostics {
  private readonly methods = new Map<string, ServedMethod>();
  private readonly server: Http2Server | Http2SecureServer;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly calls = new Set<ServerCall>();
  private readonly callsByContext = new WeakMap<CallContext, ServerCall>();
  private readonly maxMessageBytes: number;
  private readonly connectionWindowBytes: number;
  private listening = false;
  private closing = false;
  private shutdownPromise: Promise<void> | undefined;
  private serverClosed: Promise<void> | undefined;
  bufferedRequestBytes = 0;
  bufferedRequestBytesHighWater = 0;

  constructor(options: Http2GrpcServerOptions) {
    const sizes = resolveHttp2Sizes(options);
    this.maxMessageBytes = sizes.maxMessageBytes;
    this.connectionWindowBytes = sizes.connectionWindowBytes;
    const settings = sizes.settings;
    this.server =
      options.tls === undefined
        ? createServer({ settings })
        : createSecureServer({
            settings,
            cert: options.tls.certChain,
            key: options.tls.privateKey,
            allowHTTP1: false,
            ALPNProtocols: ['h2'],
          });
    // Never let a bad client crash the process: every emitter gets an 'error' listener.
    this.server.on('error', () => undefined);
    this.server.on('sessionError', () => undefined);
    this.server.on('tlsClientError', () => undefined);
    this.server.on('session', (session: ServerHttp2Session) => this.onSession(session));
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) =>
      this.onStream(stream, headers),
    );
  }

  add<Definition extends TsProtoServiceDefinition>(
    definition: Definition,
    implementation: Http2GrpcServiceImplementation<Definition>,
  ): void {
    const added = new Map<string, ServedMethod>();
    for (const [key, method] of Object.entries(definition.methods)) {
      if (method.requestStream !== true || method.responseStream !== true) {
        throw new TypeError(
          `${definition.fullName}.${method.name} is not bidi-streaming; this server serves bidi-streaming methods only`,
        );
      }
      const handler = (implementation as Record<string, unknown>)[key];
      if (typeof handler !== 'function') {
        throw new TypeError(`no implementation given for ${definition.fullName}.${method.name}`);
      }
      const path = `/${definition.fullName}/${method.name}`;
      if (this.methods.has(path) || added.has(path)) throw new TypeError(`${path} is already served`);
      added.set(path, {
        decodeRequest: partsDecoderOf(method.requestType),
        encodeResponse: partsEncoderOf(method.responseType),
        handler: handler as ServedMethod['handler'],
      });
    }
    for (const [path, served] of added) this.methods.set(path, served);
  }

  deadlineAtMs(context: CallContext): number | undefined {
    const deadline = this.callsByContext.get(context)?.deadlineAtMs;
    return deadline === undefined || deadline === Number.POSITIVE_INFINITY ? undefined : deadline;
  }

  statusWritten(context: CallContext): Promise<void> {
    return this.callsByContext.get(context)?.statusWritten ?? Promise.resolve();
  }

  listen(host: string, port: number): Promise<number> {
    if (this.listening || this.closing) {
      return Promise.reject(
        new Error(this.closing ? 'the server is shut down' : 'the server is already listening'),
      );
    }
    this.listening = true;
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.listening = false;
        reject(error);
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  shutdown(): Promise<void> {
    if (this.shutdownPromise !== undefined) return this.shutdownPromise;
    this.closing = true;
    const closed = this.closeServer();
    for (const session of this.sessions) if (!session.closed && !session.destroyed) session.close();
    this.shutdownPromise = Promise.all([closed, ...Array.from(this.calls, (call) => call.done)]).then(
      () => undefined,
    );
    return this.shutdownPromise;
  }

  forceShutdown(): void {
    this.closing = true;
    void this.closeServer();
    for (const call of this.calls) call.abort('the server was shut down');
    for (const session of this.sessions) if (!session.destroyed) session.destroy();
    this.shutdownPromise ??= Promise.all(Array.from(this.calls, (call) => call.done)).then(() => undefined);
  }

  private closeServer(): Promise<void> {
    this.serverClosed ??= new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
    return this.serverClosed;
  }

  private onSession(session: ServerHttp2Session): void {
    session.on('error', () => undefined);
    if (this.closing) {
      session.destroy();
      return;
    }
    this.sessions.add(session);
    session.once('close', () => this.sessions.delete(session));
    // The window can only be set once the session is connected; remote settings may still be pending.
    try {
      session.setLocalWindowSize(this.connectionWindowBytes);
    } catch {
      session.once('connect', () => {
        if (!session.destroyed) session.setLocalWindowSize(this.connectionWindowBytes);
      });
    }
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    if (headers[':method'] !== 'POST') {
      respondAndEnd(stream, { ':status': 405, allow: 'POST' });
      return;
    }
    const contentType = headers['content-type'];
    if (!isGrpcContentType(typeof contentType === 'string' ? contentType : undefined)) {
      respondAndEnd(stream, { ':status': 415 });
      return;
    }
    const path = headers[':path'] ?? '';
    const method = this.methods.get(path);
    if (method === undefined) {
      respondAndEnd(stream, {
        ...responseHeaderBase(),
        ...statusHeaders(Status.UNIMPLEMENTED, `the server does not implement ${path}`, undefined),
      });
      return;
    }
    const encoding = headers['grpc-encoding'];
    if (encoding !== undefined && encoding !== 'identity') {
      respondAndEnd(stream, {
        ...responseHeaderBase(),
        ...statusHeaders(
          Status.UNIMPLEMENTED,
          `message encoding ${String(encoding)} is not supported; use identity`,
          undefined,
        ),
      });
      return;
    }
    if (this.closing) {
      respondAndEnd(stream, {
        ...responseHeaderBase(),
        ...statusHeaders(Status.UNAVAILABLE, 'the server is shutting down', undefined),
      });
      return;
    }
    const call = new ServerCall(
      stream,
      headers,
      method,
      { maxMessageBytes: this.maxMessageBytes, readAheadBytes, writeAheadBytes },
      (delta) => {
        this.bufferedRequestBytes += delta;
        if (this.bufferedRequestBytes > this.bufferedRequestBytesHighWater) {
          this.bufferedRequestBytesHighWater = this.bufferedRequestBytes;
        }
      },
    );
    this.calls.add(call);
    this.callsByContext.set(call.handlerContext, call);
    void call.done.then(() => this.calls.delete(call));
    call.start();
  }
}

/**
 * Creates a gRPC server on `node:http2`, wire-compatible with any gRPC peer, for bidi-streaming methods.
 * Defaults: plaintext h2c, no message-size limit, 1 MiB stream window, 8 MiB connection window, 64 KiB
 * frames. Received messages are decoded as the handler pulls them, with a bounded read-ahead (2 MiB of
 * messages per call, then the stream pauses and HTTP/2 flow control stops the client); responses are
 * pipelined up to 4 MiB per call before the handler waits.
 */
export function createHttp2GrpcServer(
  options: Http2GrpcServerOptions = {},
): Http2GrpcServer & Http2GrpcServerDiagnostics {
  return new Http2GrpcServerImpl(options);
}
