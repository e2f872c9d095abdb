/**
 * A gRPC client on `node:http2`, written for throughput (no copy of outgoing messages, bounded
 * pipelining, bounded read-ahead) and shaped like nice-grpc's client, so code written against
 * nice-grpc's `Client` runs on it unchanged. Only bidirectional-streaming methods are supported.
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type ClientSessionOptions,
  connect,
  constants,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from 'node:http2';
import type { Client, TsProtoServiceDefinition } from 'nice-grpc';
import { type CallOptions, ClientError, Status } from 'nice-grpc-common';
import { TransportError } from '../../errors/transport-error.js';
import { type EncodedParts, partsDecoderOf, partsEncoderOf, writeEncoded } from './encoded-parts.js';
import { GrpcFramingError, GrpcMessageReader, type ReceivedMessage } from './grpc-framing.js';
import {
  decodeStatusMessage,
  formatGrpcTimeout,
  headersToMetadata,
  largestTimerMs,
  metadataToHeaders,
} from './grpc-headers.js';
import {
  isGrpcContentType,
  parseGrpcStatus,
  statusOfHttpStatus,
  statusOfResetCode,
} from './http2-client-status.js';
import { type Http2SizeOptions, readAheadBytes, resolveHttp2Sizes, writeAheadBytes } from './http2-sizes.js';

/** Options of {@link createHttp2GrpcChannel}: the HTTP/2 sizes (bytes; see {@link Http2SizeOptions}) and TLS. */
export interface Http2GrpcChannelOptions extends Http2SizeOptions {
  /**
   * Connect over TLS (ALPN `h2`). `rootCerts` (PEM) are the trusted roots; default: Node's system
   * roots. Without `tls` the channel speaks cleartext HTTP/2 (h2c, prior knowledge).
   */
  tls?: { rootCerts?: Buffer };
}

/** A connection target for {@link createHttp2GrpcClient}: one HTTP/2 session, opened at the first call. */
export interface Http2GrpcChannel {
  /** The address given to {@link createHttp2GrpcChannel} (`host:port`). */
  readonly address: string;
  /** Fails running calls (UNAVAILABLE) and makes later calls fail at once; closes the session. Idempotent. */
  close(): void;
}

/**
 * Per-call options beyond nice-grpc's `CallOptions`: `deadline`, as nice-grpc's deadline middleware
 * takes it (a `Date` is absolute; a number is milliseconds from the call's start). Default: none.
 */
export interface Http2GrpcCallOptions {
  deadline?: Date | number;
}

const userAgent = 'sdk-transport-grpc-http2';

function configError(message: string): TransportError {
  return new TransportError('TRANSPORT_CONFIG', message);
}

/** `host:port` or `[v6]:port` as a URL host, validated. */
function parseAddress(address: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(address);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65_535) {
    throw configError(`address must be "host:port" (IPv6 as "[::1]:port"), got "${address}"`);
  }
  return { host: match[1] as string, port };
}

function abortError(): Error {
  const error = new Error('The operation has been aborted');
  error.name = 'AbortError';
  return error;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** What a call needs from its channel. */
interface CallHost {
  readonly address: string;
  readonly scheme: 'http' | 'https';
  readonly maxMessageBytes: number;
  /** The live session, opened now if needed. Throws a ClientError when the channel is closed. */
  session(path: string): ClientHttp2Session;
  /** Why the session failed, once it has (socket error, GOAWAY, peer gone). */
  sessionFailure(session: ClientHttp2Session): string | undefined;
  register(call: Http2GrpcCall): void;
  unregister(call: Http2GrpcCall): void;
}

class Http2GrpcChannelImpl implements Http2GrpcChannel, CallHost {
  readonly scheme: 'http' | 'https';
  readonly maxMessageBytes: number;
  private readonly url: string;
  private readonly sessionOptions: ClientSessionOptions | SecureClientSessionOptions;
  private readonly connectionWindowBytes: number;
  private current: ClientHttp2Session | undefined;
  private readonly failures = new WeakMap<ClientHttp2Session, string>();
  private readonly calls = new Set<Http2GrpcCall>();
  private closed = false;

  constructor(
    readonly address: string,
    options: Http2GrpcChannelOptions,
  ) {
    const { host, port } = parseAddress(address);
    this.scheme = options.tls === undefined ? 'http' : 'https';
    this.url = `${this.scheme}://${host}:${port}`;
    const sizes = resolveHttp2Sizes(options);
    this.maxMessageBytes = sizes.maxMessageBytes;
    this.connectionWindowBytes = sizes.connectionWindowBytes;
    const settings = { ...sizes.settings, enablePush: false };
    this.sessionOptions =
      options.tls === undefined
        ? { settings }
        : {
            settings,
            ALPNProtocols: ['h2'],
            ...(options.tls.rootCerts === undefined ? {} : { ca: options.tls.rootCerts }),
          };
  }

  session(path: string): ClientHttp2Session {
    if (this.closed) throw new ClientError(path, Status.UNAVAILABLE, 'channel closed');
    const existing = this.current;
    if (existing !== undefined && !existing.closed && !existing.destroyed && !this.failures.has(existing)) {
      return existing;
    }
    const session = connect(this.url, this.sessionOptions);
    this.current = session;
    const fail = (reason: string) => {
      if (!this.failures.has(session)) this.failures.set(session, reason);
      if (this.current === session) this.current = undefined;
    };
    // Session errors reach the calls through their streams; this listener only keeps them from
    // becoming uncaught exceptions, and records why the connection is gone.
    session.on('error', (error: unknown) => fail(`connection to ${this.address} failed: ${describe(error)}`));
    session.on('goaway', (errorCode: number) =>
      fail(`connection to ${this.address} closed by the server (GOAWAY, code ${errorCode})`),
    );
    session.on('close', () => fail(`connection to ${this.address} closed`));
    session.once('connect', () => {
      try {
        session.setLocalWindowSize(this.connectionWindowBytes);
      } catch (error) {
        fail(`connection to ${this.address} failed: ${describe(error)}`);
        session.destroy();
      }
    });
    return session;
  }

  sessionFailure(session: ClientHttp2Session): string | undefined {
    return this.failures.get(session);
  }

  register(call: Http2GrpcCall): void {
    this.calls.add(call);
    this.current?.ref();
  }

  unregister(call: Http2GrpcCall): void {
    this.calls.delete(call);
    // An idle channel does not keep the process alive, as grpc-js channels do not.
    if (this.calls.size === 0) this.current?.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of [...this.calls]) call.failLocally(Status.UNAVAILABLE, 'channel closed');
    const session = this.current;
    this.current = undefined;
    if (session !== undefined && !session.destroyed) {
      this.failures.set(session, 'channel closed');
      session.close();
    }
  }
}

/** A pending wait of the consumer or of the request pump. */
type Wake = () => void;

/** One bidirectional call: the HTTP/2 stream, its request pump and its response queue. */
class Http2GrpcCall {
  private readonly stream: ClientHttp2Stream;
  private readonly reader: GrpcMessageReader;
  private readonly responses: ReceivedMessage[] = [];
  private queuedBytes = 0;
  private paused = false;
  /** The call's end as the consumer sees it: undefined while running, null for a clean end. */
  private outcome: { error: unknown } | null | undefined;
  /** Whether the outcome discards queued responses (a local cancel) or follows them (a server status). */
  private outcomeImmediate = false;
  private consumerWake: Wake | undefined;
  private drainWake: Wake | undefined;
  private statusFromServer: { code: Status; details: string } | undefined;
  private trailersReceived: IncomingHttpHeaders | undefined;
  private streamError: unknown;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private readonly removeAbortListener: (() => void) | undefined;

  constructor(
    private readonly host: CallHost,
    private readonly session: ClientHttp2Session,
    private readonly path: string,
    encode: (message: unknown) => EncodedParts,
    request: AsyncIterable<unknown>,
    private readonly options: CallOptions & Http2GrpcCallOptions,
  ) {
    this.reader = new GrpcMessageReader({ maxMessageBytes: host.maxMessageBytes });
    const deadlineMs = this.deadlineMs();
    const headers: OutgoingHttpHeaders = {
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_SCHEME]: host.scheme,
      [constants.HTTP2_HEADER_PATH]: path,
      [constants.HTTP2_HEADER_AUTHORITY]: host.address,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': userAgent,
      'grpc-accept-encoding': 'identity',
    };
    if (deadlineMs !== undefined) headers['grpc-timeout'] = formatGrpcTimeout(deadlineMs);
    metadataToHeaders(options.metadata, headers);
    try {
      this.stream = this.session.request(headers, { endStream: false });
    } catch (error) {
      // The session died between the check and the request (e.g. destroyed in this same tick).
      throw new ClientError(
        path,
        Status.UNAVAILABLE,
        `connection to ${host.address} failed: ${describe(error)}`,
      );
    }
    host.register(this);
    this.listen();
    const signal = options.signal;
    if (signal !== undefined) {
      const onAbort = () => this.settle({ error: abortError() }, true);
      signal.addEventListener('abort', onAbort, { once: true });
      this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
    // Armed after the abort listener: a deadline already past settles the call here and now, and
    // settling removes that listener.
    if (deadlineMs !== undefined) this.armDeadline(Date.now() + deadlineMs);
    void this.pumpRequests(request, encode);
  }

  /** The next raw response message, or undefined at a clean end; throws the call's error. */
  async next(): Promise<ReceivedMessage | undefined> {
    for (;;) {
      if (this.outcome !== undefined && (this.outcomeImmediate || this.responses.length === 0)) {
        if (this.outcome === null) return undefined;
        throw this.outcome.error;
      }
      const message = this.responses.shift();
      if (message !== undefined) {
        this.queuedBytes -= message.byteLength;
        if (this.paused && this.queuedBytes < readAheadBytes && this.outcome === undefined) {
          this.paused = false;
          this.stream.resume();
        }
        return message;
      }
      await new Promise<void>((resolve) => {
        this.consumerWake = resolve;
      });
    }
  }

  /** Ends the call from this side: RST_STREAM CANCEL, and the consumer sees `ClientError(code)`. */
  failLocally(code: Status, details: string): void {
    this.settle({ error: new ClientError(this.path, code, details) }, true);
  }

  /** Called when the consumer stops iterating early (break, return, throw in the loop body). */
  cancel(): void {
    this.settle(
      { error: new ClientError(this.path, Status.CANCELLED, 'Call cancelled by the client') },
      true,
    );
  }

  /** Timers hold at most 2^31 - 1 ms (~24.8 days); a later deadline re-arms until it is reached. */
  private armDeadline(deadlineAt: number): void {
    const remainingMs = deadlineAt - Date.now();
    if (remainingMs <= 0) {
      this.failLocally(Status.DEADLINE_EXCEEDED, 'Deadline exceeded');
      return;
    }
    this.deadlineTimer = setTimeout(
      () => this.armDeadline(deadlineAt),
      Math.min(remainingMs, largestTimerMs),
    );
  }

  private deadlineMs(): number | undefined {
    const deadline = this.options.deadline;
    if (deadline === undefined) return undefined;
    return Math.max(0, deadline instanceof Date ? deadline.getTime() - Date.now() : deadline);
  }

  private listen(): void {
    const stream = this.stream;
    stream.on('response', (headers: IncomingHttpHeaders & IncomingHttpStatusHeader) =>
      this.onResponse(headers),
    );
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.trailersReceived = trailers;
    });
    stream.on('error', (error: unknown) => {
      this.streamError ??= error;
    });
    // The status ends the call as soon as the response side has ended, whatever the request side
    // does: a server may answer before the client half-closes (grpc-js servers then leave the stream
    // half-open, so waiting for 'close' would wait forever).
    stream.on('end', () => this.finishWithStatus());
    stream.on('close', () => this.onClose());
  }

  private onResponse(headers: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
    if (this.outcome !== undefined) return;
    const httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
    if (httpStatus !== 200) {
      this.failRemote(statusOfHttpStatus(httpStatus), `Received HTTP status code ${httpStatus}`);
      return;
    }
    if (headers['grpc-status'] !== undefined) {
      // Trailers-Only: the status came in the HEADERS frame, nothing else follows.
      this.trailersReceived = headers;
      return;
    }
    if (!isGrpcContentType(headers['content-type'])) {
      const contentType = headers['content-type'] ?? '(none)';
      this.failRemote(
        Status.UNKNOWN,
        `Received a response with content-type ${contentType}, not application/grpc`,
      );
      return;
    }
    this.invokeCallback(() => this.options.onHeader?.(headersToMetadata(headers)));
  }

  private onData(chunk: Buffer): void {
    if (this.outcome !== undefined) return;
    let messages: ReceivedMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      this.failFraming(error);
      return;
    }
    for (const message of messages) {
      this.responses.push(message);
      this.queuedBytes += message.byteLength;
    }
    if (this.queuedBytes >= readAheadBytes && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
    if (messages.length > 0) this.wakeConsumer();
  }

  /**
   * Ends the call with the status the server sent, once it has arrived; returns whether it had. On
   * 'end' every DATA frame has been read, so a message cut short by the status is caught here.
   */
  private finishWithStatus(): boolean {
    if (this.outcome !== undefined) return true;
    const trailers = this.trailersReceived;
    const code = parseGrpcStatus(trailers?.['grpc-status']);
    if (trailers === undefined || code === undefined) return false;
    if (this.stream.readableEnded) {
      try {
        this.reader.finish();
      } catch (error) {
        this.failFraming(error);
        return true;
      }
    }
    const raw = trailers['grpc-message'];
    const details = decodeStatusMessage(typeof raw === 'string' ? raw : '');
    this.invokeCallback(() => this.options.onTrailer?.(headersToMetadata(trailers)));
    if (this.outcome !== undefined) return true;
    this.statusFromServer = { code, details };
    this.settle(code === Status.OK ? null : { error: new ClientError(this.path, code, details) }, false);
    return true;
  }

  private onClose(): void {
    if (this.outcome !== undefined) {
      this.release();
      return;
    }
    if (this.finishWithStatus()) return;
    // A dying session closes its streams before it reports its own 'error'/'close' (those come on a
    // later tick), so wait one turn of the event loop before telling a reset from a lost connection.
    setImmediate(() => this.onCloseWithoutStatus());
  }

  private onCloseWithoutStatus(): void {
    if (this.outcome !== undefined) return;
    const sessionFailure =
      this.host.sessionFailure(this.session) ??
      (this.session.destroyed ? `connection to ${this.host.address} closed` : undefined);
    if (sessionFailure !== undefined || this.isConnectionError(this.streamError)) {
      this.failRemote(
        Status.UNAVAILABLE,
        sessionFailure ?? `connection to ${this.host.address} failed: ${describe(this.streamError)}`,
      );
      return;
    }
    const resetCode = this.stream.rstCode ?? constants.NGHTTP2_NO_ERROR;
    if (resetCode === constants.NGHTTP2_NO_ERROR) {
      this.failRemote(Status.INTERNAL, 'the server closed the stream without a gRPC status');
      return;
    }
    this.failRemote(
      statusOfResetCode(resetCode),
      `the server reset the stream (RST_STREAM code ${resetCode})`,
    );
  }

  private isConnectionError(error: unknown): boolean {
    const code = (error as { code?: unknown } | undefined)?.code;
    return (
      typeof code === 'string' &&
      /^(E[A-Z]+|ERR_HTTP2_(SESSION|GOAWAY|STREAM_CANCEL|INVALID_SESSION).*)$/.test(code)
    );
  }

  private failFraming(error: unknown): void {
    const code =
      error instanceof GrpcFramingError && error.reason === 'too-large'
        ? Status.RESOURCE_EXHAUSTED
        : Status.INTERNAL;
    this.settle({ error: new ClientError(this.path, code, describe(error)) }, true);
  }

  /** A failure the server (or the connection) caused, detected here: the stream is reset if still open. */
  private failRemote(code: Status, details: string): void {
    this.settle({ error: new ClientError(this.path, code, details) }, true);
  }

  private invokeCallback(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.settle({ error }, true);
    }
  }

  /** Fixes the call's outcome once; closes the stream (CANCEL) unless it ended cleanly. */
  private settle(outcome: { error: unknown } | null, immediate: boolean): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.outcomeImmediate = immediate;
    if (immediate) {
      this.responses.length = 0;
      this.queuedBytes = 0;
    }
    if (!this.stream.closed && !this.stream.destroyed) {
      this.stream.close(
        this.statusFromServer === undefined ? constants.NGHTTP2_CANCEL : constants.NGHTTP2_NO_ERROR,
      );
    }
    if (this.paused) {
      // Paused streams hold their data; let it flow (and be dropped) so the stream can finish closing.
      this.paused = false;
      this.stream.resume();
    }
    this.release();
    this.wakeConsumer();
    this.drainWake?.();
  }

  private release(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.removeAbortListener?.();
    this.host.unregister(this);
  }

  private wakeConsumer(): void {
    const wake = this.consumerWake;
    this.consumerWake = undefined;
    wake?.();
  }

  private async pumpRequests(
    request: AsyncIterable<unknown>,
    encode: (message: unknown) => EncodedParts,
  ): Promise<void> {
    try {
      for await (const item of request) {
        const encoded = encode(item);
        if (this.outcome !== undefined || this.stream.destroyed || this.stream.closed) {
          // Never to be written: the memory it holds is free again.
          encoded.onWritten?.();
          return;
        }
        writeEncoded(this.stream, encoded);
        if (this.stream.writableLength >= writeAheadBytes) await this.waitForDrain();
      }
      if (this.outcome === undefined && !this.stream.destroyed) this.stream.end();
    } catch (error) {
      // The request side failed (the iterable or the encoder threw): the call ends with that error.
      this.settle({ error }, true);
    }
  }

  private waitForDrain(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.outcome !== undefined) {
        resolve();
        return;
      }
      const done = () => {
        this.stream.off('drain', done);
        this.drainWake = undefined;
        resolve();
      };
      this.drainWake = done;
      this.stream.on('drain', done);
    });
  }
}

/**
 * Creates a channel to a gRPC server over `node:http2`. Nothing connects until the first call; one
 * HTTP/2 session is then shared by all calls and replaced at the next call once it fails or closes.
 * @param address `host:port`, IPv6 as `[::1]:port`.
 * @param options Defaults: cleartext h2c, no message limit, 1 MiB stream window, 8 MiB connection
 *   window, 64 KiB frames. Throws TransportError TRANSPORT_CONFIG for an invalid address or option.
 */
export function createHttp2GrpcChannel(
  address: string,
  options: Http2GrpcChannelOptions = {},
): Http2GrpcChannel {
  return new Http2GrpcChannelImpl(address, options);
}

/**
 * A nice-grpc shaped client for `definition` on `channel`. Each method takes an AsyncIterable of
 * requests and call options (`signal`, `metadata`, `onHeader`, `onTrailer`, and `deadline`) and returns
 * the responses as an AsyncIterable; failures throw nice-grpc-common `ClientError` (abort: an Error
 * named `AbortError`). Throws TransportError TRANSPORT_CONFIG when a method is not bidi-streaming or
 * the channel did not come from {@link createHttp2GrpcChannel}.
 */
export function createHttp2GrpcClient<Definition extends TsProtoServiceDefinition>(
  definition: Definition,
  channel: Http2GrpcChannel,
): Client<Definition, Http2GrpcCallOptions> {
  if (!(channel instanceof Http2GrpcChannelImpl)) {
    throw configError('createHttp2GrpcClient needs a channel made by createHttp2GrpcChannel');
  }
  const client: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition.methods)) {
    if (method.requestStream !== true || method.responseStream !== true) {
      throw configError(
        `${definition.fullName}/${method.name} is not bidirectional-streaming; the HTTP/2 client supports only bidi methods`,
      );
    }
    const path = `/${definition.fullName}/${method.name}`;
    const encode = partsEncoderOf(method.requestType);
    const decode = partsDecoderOf<unknown>(method.responseType);
    client[key] = (request: AsyncIterable<unknown>, options: CallOptions & Http2GrpcCallOptions = {}) =>
      callBidi(channel, path, encode, decode, request, options);
  }
  return client as Client<Definition, Http2GrpcCallOptions>;
}

async function* callBidi(
  host: CallHost,
  path: string,
  encode: (message: unknown) => EncodedParts,
  decode: (message: ReceivedMessage) => unknown,
  request: AsyncIterable<unknown>,
  options: CallOptions & Http2GrpcCallOptions,
): AsyncGenerator<unknown, void, undefined> {
  if (options.signal?.aborted) throw abortError();
  // gRPC's grpc-timeout is the time left when the headers leave, as gRPC's own clients send it. Node
  // fixes a request's headers when it is made, so a call on a connection still being set up waits
  // for it: otherwise the server would start its clock late by the whole setup (seen past 200 ms on
  // a busy machine) and take the client's own cancel at its deadline for an early cancellation.
  const deadlineAt = absoluteDeadline(options.deadline);
  const session = host.session(path);
  if (session.connecting) {
    await settledConnect(session, deadlineAt, options.signal);
    if (options.signal?.aborted) throw abortError();
    const failure = host.sessionFailure(session);
    if (failure !== undefined) throw new ClientError(path, Status.UNAVAILABLE, failure);
  }
  const call = new Http2GrpcCall(host, session, path, encode, request, {
    ...options,
    ...(deadlineAt === undefined ? {} : { deadline: new Date(deadlineAt) }),
  });
  try {
    for (;;) {
      const bytes = await call.next();
      if (bytes === undefined) return;
      let message: unknown;
      try {
        message = decode(bytes);
      } catch (error) {
        call.failLocally(Status.INTERNAL, `failed to decode a response message: ${describe(error)}`);
        throw new ClientError(
          path,
          Status.INTERNAL,
          `failed to decode a response message: ${describe(error)}`,
        );
      }
      yield message;
    }
  } finally {
    call.cancel();
  }
}

/** A call's deadline in ms since the epoch: a number counts from now, as nice-grpc's deadline does. */
function absoluteDeadline(deadline: Date | number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  return deadline instanceof Date ? deadline.getTime() : Date.now() + Math.max(0, deadline);
}

/**
 * Resolves once a connecting session is connected, has failed or closed, or the call's deadline or
 * abort comes first; never rejects: the call made next meets whichever it was and ends as it would.
 */
function settledConnect(
  session: ClientHttp2Session,
  deadlineAt: number | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      session.off('connect', done);
      session.off('close', done);
      session.off('error', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    session.once('connect', done);
    session.once('close', done);
    session.once('error', done);
    signal?.addEventListener('abort', done, { once: true });
    if (deadlineAt !== undefined)
      timer = setTimeout(done, Math.min(Math.max(0, deadlineAt - Date.now()), largestTimerMs));
  });
}
