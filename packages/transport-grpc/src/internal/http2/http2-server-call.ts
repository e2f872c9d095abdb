/**
 * One gRPC call served on one HTTP/2 stream: the request messages as a lazily decoded async iterable
 * with bounded read-ahead, the handler's responses written with bounded pipelining, and the status,
 * sent exactly once whichever way the call ends.
 */
import {
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { type CallContext, Metadata, ServerError, Status } from 'nice-grpc-common';
import { type EncodedParts, writeEncoded } from './encoded-parts.js';
import { GrpcFramingError, GrpcMessageReader, type ReceivedMessage } from './grpc-framing.js';
import { headersToMetadata, largestTimerMs, metadataToHeaders, parseGrpcTimeout } from './grpc-headers.js';
import {
  releaseRequestSide,
  respondAndEnd,
  responseHeaderBase,
  statusHeaders,
} from './grpc-server-responses.js';

/** What a call needs from its method: the codec and the user's handler. */
export interface ServedMethod {
  readonly decodeRequest: (message: ReceivedMessage) => unknown;
  readonly encodeResponse: (message: unknown) => EncodedParts;
  readonly handler: (requests: AsyncIterable<unknown>, context: CallContext) => AsyncIterable<unknown>;
}

/** Limits a call works within (bytes). */
export interface ServerCallLimits {
  readonly maxMessageBytes: number;
  /** Received messages waiting for the handler before the stream is paused. */
  readonly readAheadBytes: number;
  /** Response bytes queued in the stream before the handler's next response waits for 'drain'. */
  readonly writeAheadBytes: number;
}

/** Message nice-grpc (and grpc-js) send for an error that is not a `ServerError`; details stay private. */
const unknownErrorMessage = 'Unknown server error occurred';

/** The peer as `ip:port` (IPv6 addresses in brackets). */
function peerOf(stream: ServerHttp2Stream): string {
  const socket = stream.session?.socket;
  const address = socket?.remoteAddress ?? 'unknown';
  const port = socket?.remotePort ?? 0;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** A failure that ends the call with a status (the request iterable rethrows it to the handler). */
function statusError(code: Status, details: string): ServerError {
  return new ServerError(code, details);
}

/**
 * A request the server refused (too large, badly framed, undecodable), as the request iterable throws
 * it. The call stays open: the handler says what happened, in its own messages and status, and a
 * handler that just rethrows ends the call with this status.
 */
export class RequestRefusedError extends ServerError {
  constructor(
    code: Status,
    details: string,
    /** For a message above `maxMessageBytes`: its size as its prefix stated, and the limit (bytes). */
    readonly sizes?: { readonly messageBytes: number; readonly limitBytes: number },
  ) {
    super(code, details);
    this.name = 'RequestRefusedError';
  }
}

/**
 * One running call. `start()` runs the handler; `done` settles when the call has ended (status sent, or
 * the stream gone) and every listener and timer is released.
 */
export class ServerCall {
  private readonly abortController = new AbortController();
  private readonly context: CallContext;
  private readonly reader: GrpcMessageReader;
  private readonly received: ReceivedMessage[] = [];
  private receivedBytes = 0;
  private requestsEnded = false;
  /** Set once the request side failed or the call ended; the request iterable throws it. */
  private requestFailure: ServerError | undefined;
  private wakeRequests: (() => void) | undefined;
  private wakeWriter: (() => void) | undefined;
  private ended = false;
  /** The handler returned or threw: ending the call from here on must not abort its signal. */
  private handlerSettled = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private readonly settle: () => void;
  /** Settles when the call has ended. */
  readonly done: Promise<void>;
  private markStatusWritten: () => void = () => undefined;
  /**
   * Resolves once the call's status (trailers, or a Trailers-Only response) has been handed to the HTTP/2
   * session, or the call ended without one (reset, cancelled). HEADERS frames leave before DATA queued
   * after them, so anything written on another stream of the connection from then on reaches the
   * socket after this call's status.
   */
  readonly statusWritten: Promise<void>;

  constructor(
    private readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    private readonly method: ServedMethod,
    private readonly limits: ServerCallLimits,
    private readonly onBufferedBytes: (delta: number) => void,
  ) {
    let settle: () => void = () => undefined;
    this.done = new Promise((resolve) => {
      settle = resolve;
    });
    this.settle = settle;
    this.statusWritten = new Promise((resolve) => {
      this.markStatusWritten = resolve;
    });
    this.reader = new GrpcMessageReader({ maxMessageBytes: limits.maxMessageBytes });
    this.context = {
      metadata: headersToMetadata(headers),
      peer: peerOf(stream),
      header: Metadata(),
      sendHeader: () => this.sendHeader(),
      trailer: Metadata(),
      signal: this.abortController.signal,
    };
    const timeoutMs = parseGrpcTimeout(
      typeof headers['grpc-timeout'] === 'string' ? headers['grpc-timeout'] : undefined,
    );
    // setTimeout fires at once beyond 2^31 - 1 ms (~24.8 days); a deadline that far off is no deadline.
    if (timeoutMs !== undefined && timeoutMs <= largestTimerMs) {
      this.deadlineAtMs = Date.now() + timeoutMs;
      this.deadlineTimer = setTimeout(() => {
        this.endWithStatus(Status.DEADLINE_EXCEEDED, 'Deadline exceeded');
      }, timeoutMs);
    }
  }

  /** When the client's `grpc-timeout` expires (ms since the epoch); infinite without one. */
  deadlineAtMs = Number.POSITIVE_INFINITY;

  /** The context the handler receives (the server keys its per-call lookups by it). */
  get handlerContext(): CallContext {
    return this.context;
  }

  /** Aborts the call at once: the handler's signal aborts, nothing more is sent. */
  abort(details: string): void {
    this.endSilently(details);
  }

  /** Starts reading requests and runs the handler. */
  start(): void {
    const stream = this.stream;
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onClose);
    stream.on('error', this.onError);
    stream.on('wantTrailers', this.onWantTrailers);
    stream.on('drain', this.onDrain);
    void this.run();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.ended || this.requestFailure !== undefined) return;
    let messages: ReceivedMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      this.failFraming(error);
      return;
    }
    for (const message of messages) {
      this.received.push(message);
      this.addBuffered(message.byteLength);
    }
    if (this.receivedBytes > this.limits.readAheadBytes) this.stream.pause();
    this.wakeRequests?.();
  };

  private readonly onEnd = (): void => {
    if (this.ended || this.requestFailure !== undefined) return;
    try {
      this.reader.finish();
    } catch (error) {
      this.failFraming(error);
      return;
    }
    this.requestsEnded = true;
    this.wakeRequests?.();
  };

  private readonly onClose = (): void => {
    // The stream closed before the status went out: the client cancelled, reset or vanished.
    if (!this.ended) this.endSilently('the client cancelled the call or disconnected');
    this.release();
  };

  private readonly onError = (): void => {
    // Socket and protocol errors reach us here; 'close' follows, which ends the call.
  };

  private pendingTrailers: OutgoingHttpHeaders | undefined;

  private readonly onWantTrailers = (): void => {
    const stream = this.stream;
    if (stream.destroyed || stream.closed) return;
    stream.sendTrailers(this.pendingTrailers ?? { 'grpc-status': String(Status.OK) });
    this.markStatusWritten();
    releaseRequestSide(stream);
  };

  private readonly onDrain = (): void => {
    this.wakeWriter?.();
  };

  private addBuffered(delta: number): void {
    this.receivedBytes += delta;
    this.onBufferedBytes(delta);
  }

  private dropReceived(): void {
    this.received.length = 0;
    if (this.receivedBytes !== 0) this.addBuffered(-this.receivedBytes);
  }

  private failFraming(error: unknown): void {
    if (error instanceof GrpcFramingError && error.reason === 'too-large') {
      this.refuseRequests(new RequestRefusedError(Status.RESOURCE_EXHAUSTED, error.message, error.sizes));
    } else {
      const reason = error instanceof Error ? error.message : String(error);
      this.refuseRequests(new RequestRefusedError(Status.INTERNAL, `invalid request stream: ${reason}`));
    }
  }

  /**
   * Stops taking requests: the request iterable throws `refusal` (after nothing: buffered messages are
   * dropped), and further request bytes are read and discarded, so the connection's other calls keep
   * flowing. Ending the call is the handler's job, so that it can say why in band first; a handler
   * that already returned has no say, and the call ends with the refusal's status.
   */
  private refuseRequests(refusal: RequestRefusedError): void {
    if (this.ended || this.requestFailure !== undefined) return;
    if (this.handlerSettled) {
      this.endWithStatus(refusal.code, refusal.details);
      return;
    }
    this.requestFailure = refusal;
    this.dropReceived();
    if (this.stream.isPaused()) this.stream.resume();
    this.wakeRequests?.();
  }

  private async *requests(): AsyncGenerator<unknown, void, undefined> {
    while (true) {
      if (this.requestFailure !== undefined) throw this.requestFailure;
      const bytes = this.received.shift();
      if (bytes !== undefined) {
        this.addBuffered(-bytes.byteLength);
        if (this.receivedBytes <= this.limits.readAheadBytes && this.stream.isPaused() && !this.ended) {
          this.stream.resume();
        }
        let message: unknown;
        try {
          message = this.method.decodeRequest(bytes);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.refuseRequests(
            new RequestRefusedError(
              Status.INTERNAL,
              `failed to decode a request message of ${bytes.byteLength} bytes: ${reason}`,
            ),
          );
          throw this.requestFailure ?? statusError(Status.INTERNAL, reason);
        }
        yield message;
        continue;
      }
      if (this.requestsEnded) return;
      await new Promise<void>((resolve) => {
        this.wakeRequests = resolve;
      });
      this.wakeRequests = undefined;
    }
  }

  private sendHeader(): void {
    const stream = this.stream;
    if (this.ended || stream.headersSent || stream.destroyed || stream.closed) return;
    stream.respond(metadataToHeaders(this.context.header, responseHeaderBase()), { waitForTrailers: true });
  }

  private async run(): Promise<void> {
    let responses: AsyncIterator<unknown> | undefined;
    try {
      responses = this.method.handler(this.requests(), this.context)[Symbol.asyncIterator]();
      while (!this.ended) {
        const next = await responses.next();
        if (next.done === true) {
          this.handlerSettled = true;
          break;
        }
        if (this.ended) break;
        let encoded: EncodedParts;
        try {
          encoded = this.method.encodeResponse(next.value);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.endWithStatus(Status.INTERNAL, `failed to encode a response: ${reason}`);
          break;
        }
        await this.write(encoded);
      }
      if (!this.ended) this.endWithStatus(Status.OK, '');
    } catch (error) {
      this.handlerSettled = true;
      if (error instanceof ServerError) this.endWithStatus(error.code, error.details);
      else this.endWithStatus(Status.UNKNOWN, unknownErrorMessage);
    } finally {
      // The call ended first (deadline, cancel, failed request): stop the handler's iteration.
      if (responses?.return !== undefined && this.ended) {
        try {
          await responses.return();
        } catch {
          // The handler threw while stopping; the call is over, there is no one to tell.
        }
      }
    }
  }

  private async write(encoded: EncodedParts): Promise<void> {
    const stream = this.stream;
    this.sendHeader();
    if (this.ended || stream.destroyed || stream.closed) {
      // Never to be written: the memory it holds is free again.
      encoded.onWritten?.();
      return;
    }
    writeEncoded(stream, encoded);
    // Pipelining: keep up to writeAheadBytes queued in the stream rather than waiting after each message.
    while (!this.ended && !stream.destroyed && stream.writableLength > this.limits.writeAheadBytes) {
      await new Promise<void>((resolve) => {
        this.wakeWriter = resolve;
      });
      this.wakeWriter = undefined;
    }
  }

  /** Ends the call with a status: trailers after the response, or a Trailers-Only response. */
  private endWithStatus(code: Status, details: string): void {
    if (this.ended) return;
    const stream = this.stream;
    const trailers = statusHeaders(code, details, this.context.trailer);
    this.finish(code === Status.OK ? undefined : statusError(code, details));
    if (stream.destroyed || stream.closed) return;
    if (!stream.headersSent) {
      respondAndEnd(stream, { ...responseHeaderBase(), ...trailers });
      this.markStatusWritten();
    } else {
      this.pendingTrailers = trailers;
      stream.end();
    }
  }

  /** Ends the call without sending anything more (the client is gone or the server is forced down). */
  private endSilently(details: string): void {
    if (this.ended) return;
    this.finish(statusError(Status.CANCELLED, details));
    this.markStatusWritten();
    const stream = this.stream;
    if (!stream.destroyed && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
  }

  private finish(failure: ServerError | undefined): void {
    this.ended = true;
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    // A call the handler completed (OK) ends its requests quietly: a consumer still reading them in the
    // background must not see a failure for a call that succeeded. Any other end makes them throw.
    if (failure === undefined) this.requestsEnded = true;
    else this.requestFailure ??= failure;
    this.dropReceived();
    this.wakeRequests?.();
    this.wakeWriter?.();
    // As nice-grpc: the signal tells a running handler that the call is over, never one that ended it.
    if (failure !== undefined && !this.handlerSettled) this.abortController.abort(failure);
    if (this.stream.destroyed || this.stream.closed) this.release();
  }

  private released = false;

  private release(): void {
    if (this.released) return;
    this.released = true;
    const stream = this.stream;
    stream.off('data', this.onData);
    stream.off('end', this.onEnd);
    stream.off('wantTrailers', this.onWantTrailers);
    stream.off('drain', this.onDrain);
    stream.off('close', this.onClose);
    // 'error' stays attached: a late socket error on a closed stream must not become an uncaught one.
    this.markStatusWritten();
    this.settle();
  }
}
