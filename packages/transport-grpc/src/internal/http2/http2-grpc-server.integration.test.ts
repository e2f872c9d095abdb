import { randomBytes } from 'node:crypto';
import {
  type ClientHttp2Session,
  connect,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { createConnection, type Socket } from 'node:net';
import { ChannelCredentials, Client as GrpcJsClient, Metadata as GrpcJsMetadata } from '@grpc/grpc-js';
import { type CallContext, type Client, createChannel, createClient } from 'nice-grpc';
import { ClientError, Metadata, ServerError, Status } from 'nice-grpc-common';
import { collect, expectClientError, testTlsMaterial, until } from '../../__fixtures__/call-helpers';
import {
  type ControlInMessage,
  type ControlOutMessage,
  outgoingRecordsMessage,
  type RecordTransferInMessage,
  type RecordTransferOutMessage,
  type SdkToolV2Definition,
  sdkToolV2Definition,
  unlimitedMessageSizeOptions,
} from '../service-definition.js';
import {
  createHttp2GrpcServer,
  type Http2GrpcServer,
  type Http2GrpcServerDiagnostics,
  type Http2GrpcServerOptions,
} from './http2-grpc-server.js';

type Handlers = {
  control?: (
    requests: AsyncIterable<ControlInMessage>,
    context: CallContext,
  ) => AsyncIterable<ControlOutMessage>;
  recordTransfer?: (
    requests: AsyncIterable<RecordTransferInMessage>,
    context: CallContext,
  ) => AsyncIterable<RecordTransferOutMessage>;
};

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Echoes every records piece back, so bytes can be compared end to end. */
async function* echoRecords(
  requests: AsyncIterable<RecordTransferInMessage>,
): AsyncIterable<RecordTransferOutMessage> {
  for await (const request of requests) {
    const piece = request.incomingRecords;
    if (piece) yield outgoingRecordsMessage({ ...piece });
  }
}

/** Answers every Control message with its msgId. */
async function* echoControl(requests: AsyncIterable<ControlInMessage>): AsyncIterable<ControlOutMessage> {
  for await (const request of requests) yield { msgId: request.msgId };
}

async function serve(
  handlers: Handlers = {},
  options: Http2GrpcServerOptions = {},
): Promise<{ server: Http2GrpcServer & Http2GrpcServerDiagnostics; port: number }> {
  const server = createHttp2GrpcServer(options);
  server.add(sdkToolV2Definition, {
    control: handlers.control ?? echoControl,
    recordTransfer: handlers.recordTransfer ?? echoRecords,
  });
  const port = await server.listen('127.0.0.1', 0);
  cleanups.push(() => server.forceShutdown());
  return { server, port };
}

function clientFor(port: number, credentials = ChannelCredentials.createInsecure(), host = '127.0.0.1') {
  const channel = createChannel(`${host}:${port}`, credentials, unlimitedMessageSizeOptions);
  cleanups.push(() => channel.close());
  return createClient(sdkToolV2Definition, channel) as Client<SdkToolV2Definition>;
}

function piece(data: Uint8Array, endOfChunk = true): RecordTransferInMessage {
  return { incomingRecords: { anchorName: 'Input', connectionName: '#1', data, endOfChunk } };
}

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

describe('Http2GrpcServer with the grpc-js client (nice-grpc)', () => {
  it('echoes many messages both ways, 4 MB and 20 MB pieces intact, metadata in and header/trailer out', async () => {
    const seen: { auth?: string; peer?: string } = {};
    const { port } = await serve({
      async *recordTransfer(requests, context) {
        seen.auth = context.metadata.get('authorization');
        seen.peer = context.peer;
        context.header.set('x-echo-auth', context.metadata.get('authorization') ?? '');
        context.header.set('x-raw-bin', new Uint8Array([0, 1, 254, 255]));
        let count = 0;
        for await (const request of requests) {
          count += 1;
          if (request.incomingRecords) yield outgoingRecordsMessage({ ...request.incomingRecords });
        }
        context.trailer.set('x-count', String(count));
      },
    });
    const client = clientFor(port);
    const small = Array.from({ length: 300 }, (_, index) => randomBytes(1 + ((index * 97) % 5_000)));
    const large = [randomBytes(4_000_000), randomBytes(20_000_000)];
    const sent = [...small.slice(0, 150), large[0] as Buffer, ...small.slice(150), large[1] as Buffer];
    let header: Metadata | undefined;
    let trailer: Metadata | undefined;
    const received = await collect(
      client.recordTransfer(fromArray(sent.map((data) => piece(data))), {
        metadata: Metadata({ authorization: 'Bearer secret' }),
        onHeader: (value) => {
          header = value;
        },
        onTrailer: (value) => {
          trailer = value;
        },
      }),
    );
    expect(received).toHaveLength(sent.length);
    received.forEach((message, index) => {
      const data = message.outgoingRecords?.data ?? new Uint8Array(0);
      expect(Buffer.compare(Buffer.from(data), sent[index] as Buffer)).toBe(0);
      expect(message.outgoingRecords?.anchorName).toBe('Input');
    });
    expect(seen.auth).toBe('Bearer secret');
    expect(seen.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(header?.get('x-echo-auth')).toBe('Bearer secret');
    expect(Array.from(header?.get('x-raw-bin') ?? [])).toEqual([0, 1, 254, 255]);
    expect(trailer?.get('x-count')).toBe(String(sent.length));
  }, 30_000);

  it('runs Control and RecordTransfer calls concurrently on one connection', async () => {
    const { port } = await serve();
    const client = clientFor(port);
    const pieces = Array.from({ length: 40 }, (_, index) => randomBytes(200_000 + index));
    const controls = Array.from({ length: 200 }, (_, index) => ({ msgId: `c${index}` }));
    const [controlReplies, recordReplies] = await Promise.all([
      collect(client.control(fromArray(controls))),
      collect(client.recordTransfer(fromArray(pieces.map((data) => piece(data))))),
    ]);
    expect(controlReplies.map((reply) => reply.msgId)).toEqual(controls.map((control) => control.msgId));
    recordReplies.forEach((reply, index) => {
      expect(Buffer.compare(Buffer.from(reply.outgoingRecords?.data ?? []), pieces[index] as Buffer)).toBe(0);
    });
    expect(recordReplies).toHaveLength(pieces.length);
  });

  it('serves both methods on one connection, and IPv6 loopback', async () => {
    const server = createHttp2GrpcServer();
    server.add(sdkToolV2Definition, { control: echoControl, recordTransfer: echoRecords });
    cleanups.push(() => server.forceShutdown());
    let port: number;
    try {
      port = await server.listen('::1', 0);
    } catch {
      return; // no IPv6 on this machine: nothing to check
    }
    const client = clientFor(port, undefined, '[::1]');
    const replies = await collect(client.control(fromArray([{ msgId: 'a' }, { msgId: 'b' }])));
    expect(replies.map((reply) => reply.msgId)).toEqual(['a', 'b']);
    const records = await collect(client.recordTransfer(fromArray([piece(Buffer.from('xyz'))])));
    expect(Buffer.from(records[0]?.outgoingRecords?.data ?? []).toString()).toBe('xyz');
  });

  it.each([
    ['before any response', false],
    ['after a response', true],
  ])('sends a ServerError %s: code, non-ASCII details and custom trailer', async (_label, answerFirst) => {
    const { port } = await serve({
      async *control(_requests, context) {
        if (answerFirst) yield { msgId: 'first' };
        context.trailer.set('x-sdk-error-code', 'PLUGIN_FAILED');
        throw new ServerError(Status.FAILED_PRECONDITION, 'kaputt: größe 100% ✓');
      },
    });
    const client = clientFor(port);
    let trailer: Metadata | undefined;
    const replies: ControlOutMessage[] = [];
    const error = await expectClientError(
      (async () => {
        for await (const reply of client.control(fromArray([{ msgId: 'x' }]), {
          onTrailer: (value) => {
            trailer = value;
          },
        })) {
          replies.push(reply);
        }
      })(),
      Status.FAILED_PRECONDITION,
    );
    expect(error.details).toBe('kaputt: größe 100% ✓');
    expect(trailer?.get('x-sdk-error-code')).toBe('PLUGIN_FAILED');
    expect(replies.map((reply) => reply.msgId)).toEqual(answerFirst ? ['first'] : []);
  });

  it('sends the response header at sendHeader(), before any message', async () => {
    const headerSeen = gate();
    const { port } = await serve({
      async *control(_requests, context) {
        context.header.set('x-early', 'yes');
        context.sendHeader();
        await headerSeen.opened;
        yield { msgId: 'after-header' };
      },
    });
    let early: string | undefined;
    const replies = await collect(
      clientFor(port).control(fromArray([]), {
        onHeader: (header) => {
          early = header.get('x-early');
          headerSeen.open();
        },
      }),
    );
    expect(early).toBe('yes');
    expect(replies.map((reply) => reply.msgId)).toEqual(['after-header']);
  });

  it('answers a plain Error with UNKNOWN and does not leak its message', async () => {
    const { port } = await serve({
      // biome-ignore lint/correctness/useYield: the handler fails before answering
      async *control() {
        throw new Error('secret internal detail');
      },
    });
    const error = await expectClientError(collect(clientFor(port).control(fromArray([]))), Status.UNKNOWN);
    expect(error.details).toBe('Unknown server error occurred');
  });

  it('answers an unknown method with UNIMPLEMENTED', async () => {
    const { port } = await serve();
    const client = new GrpcJsClient(`127.0.0.1:${port}`, ChannelCredentials.createInsecure());
    cleanups.push(() => client.close());
    const code = await new Promise<number>((resolve) => {
      const call = client.makeBidiStreamRequest(
        '/sdk.SdkToolV2/NoSuchMethod',
        (value: Buffer) => value,
        (value: Buffer) => value,
      );
      call.on('data', () => undefined);
      call.on('error', (error: { code: number }) => resolve(error.code));
      call.on('status', (status: { code: number }) => resolve(status.code));
      call.write(Buffer.from([1, 2, 3]));
      call.end();
    });
    expect(code).toBe(Status.UNIMPLEMENTED);
  });

  it('ends a call past its deadline with DEADLINE_EXCEEDED on both sides', async () => {
    let serverReason: unknown;
    let handlerStopped = false;
    const { port } = await serve({
      async *control(requests, context) {
        try {
          for await (const request of requests) yield { msgId: request.msgId };
        } finally {
          serverReason = context.signal.reason;
          handlerStopped = true;
        }
      },
    });
    // nice-grpc's deadline lives in a middleware; grpc-js's own client takes one directly.
    const client = new GrpcJsClient(`127.0.0.1:${port}`, ChannelCredentials.createInsecure());
    cleanups.push(() => client.close());
    const controlIn = sdkToolV2Definition.methods.control.requestType;
    const code = await new Promise<number>((resolve) => {
      const call = client.makeBidiStreamRequest(
        '/sdk.SdkToolV2/Control',
        (message: ControlInMessage) => Buffer.from(controlIn.encode(message).finish()),
        (bytes: Buffer) => bytes,
        new GrpcJsMetadata(),
        { deadline: Date.now() + 300 },
      );
      call.on('data', () => undefined);
      call.on('error', (error: { code: number }) => resolve(error.code));
      call.write({ msgId: 'one' });
    });
    expect(code).toBe(Status.DEADLINE_EXCEEDED);
    await until(() => handlerStopped);
    // Both ends time the same deadline, so which one acts first is a race: the server's own timer
    // (DEADLINE_EXCEEDED, checked alone below with a raw client) or the client's cancel. Either way the
    // handler stops, and a signal that aborted names one of the two.
    if (serverReason !== undefined) {
      expect([Status.DEADLINE_EXCEEDED, Status.CANCELLED]).toContain((serverReason as ServerError).code);
    }
  });

  it("aborts the handler's signal when the client cancels", async () => {
    const started = gate();
    let aborted = false;
    const { port } = await serve({
      async *control(_requests, context) {
        yield { msgId: 'started' };
        started.open();
        await waitForAbort(context.signal);
        aborted = true;
      },
    });
    const controller = new AbortController();
    const call = collect(clientFor(port).control(fromArray([{ msgId: 'x' }]), { signal: controller.signal }));
    await started.opened;
    controller.abort();
    await expect(call).rejects.toThrow();
    await until(() => aborted);
  });

  it('applies backpressure to a client when the handler stops pulling, with bounded buffering', async () => {
    const release = gate();
    let handled = 0;
    const { server, port } = await serve({
      async *recordTransfer(requests) {
        for await (const request of requests) {
          handled += 1;
          if (handled === 1) await release.opened;
          if (request.incomingRecords)
            yield { wantRecords: { anchorName: 'Input' } } as RecordTransferOutMessage;
        }
      },
    });
    const total = 80;
    const messageBytes = 1_000_000;
    let produced = 0;
    async function* producer(): AsyncIterable<RecordTransferInMessage> {
      for (let index = 0; index < total; index += 1) {
        produced += 1;
        yield piece(Buffer.alloc(messageBytes, index));
      }
    }
    const call = collect(clientFor(port).recordTransfer(producer()));
    // Wait until the client's production stops growing: flow control stalled it.
    let last = -1;
    while (produced !== last) {
      last = produced;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    expect(produced).toBeLessThan(total);
    expect(handled).toBe(1);
    // Received messages waiting for the handler stay within the read-ahead budget (2 MiB) plus one message.
    expect(server.bufferedRequestBytesHighWater).toBeLessThanOrEqual(
      2 * 1024 * 1024 + messageBytes + 64 * 1024,
    );
    release.open();
    const replies = await call;
    expect(replies).toHaveLength(total);
    expect(handled).toBe(total);
    expect(server.bufferedRequestBytes).toBe(0);
  }, 30_000);

  it('sends OK trailers when the handler ends while the client is still sending', async () => {
    const { port } = await serve({
      async *control(requests) {
        for await (const request of requests) {
          yield { msgId: request.msgId };
          return;
        }
      },
    });
    async function* endless(): AsyncIterable<ControlInMessage> {
      for (let index = 0; index < 10_000; index += 1) {
        yield { msgId: `m${index}` };
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const replies = await collect(clientFor(port).control(endless()));
    expect(replies.map((reply) => reply.msgId)).toEqual(['m0']);
  });

  it('serves TLS with the fixture certificate and refuses plaintext clients', async () => {
    const { certChain, privateKey } = testTlsMaterial();
    const { port } = await serve({}, { tls: { certChain, privateKey } });
    const secure = clientFor(port, ChannelCredentials.createSsl(certChain));
    const replies = await collect(secure.control(fromArray([{ msgId: 'tls' }])));
    expect(replies.map((reply) => reply.msgId)).toEqual(['tls']);
    await expectClientError(
      collect(clientFor(port).control(fromArray([{ msgId: 'plain' }]))),
      Status.UNAVAILABLE,
    );
  });

  it('forceShutdown aborts running calls', async () => {
    const started = gate();
    let aborted = false;
    const { server, port } = await serve({
      async *control(_requests, context) {
        yield { msgId: 'started' };
        started.open();
        await waitForAbort(context.signal);
        aborted = true;
      },
    });
    const call = collect(clientFor(port).control(fromArray([{ msgId: 'x' }])));
    await started.opened;
    server.forceShutdown();
    server.forceShutdown();
    await expect(call).rejects.toBeInstanceOf(ClientError);
    expect(aborted).toBe(true);
    await server.shutdown();
  });

  it('graceful shutdown waits for a running call, then refuses new connections', async () => {
    const started = gate();
    const release = gate();
    const { server, port } = await serve({
      async *control(requests) {
        yield { msgId: 'started' };
        started.open();
        await release.opened;
        for await (const request of requests) yield { msgId: request.msgId };
      },
    });
    const call = collect(clientFor(port).control(fromArray([{ msgId: 'x' }])));
    await started.opened;
    let shutDown = false;
    const shutdown = server.shutdown().then(() => {
      shutDown = true;
    });
    expect(server.shutdown()).toBe(server.shutdown());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shutDown).toBe(false);
    release.open();
    const replies = await call;
    expect(replies.map((reply) => reply.msgId)).toEqual(['started', 'x']);
    await shutdown;
    expect(shutDown).toBe(true);
    await expectClientError(
      collect(clientFor(port).control(fromArray([{ msgId: 'late' }]))),
      Status.UNAVAILABLE,
    );
  });
});

describe('Http2GrpcServer registration', () => {
  it('refuses a definition with a method that is not bidi-streaming', () => {
    const server = createHttp2GrpcServer();
    const unary = {
      ...sdkToolV2Definition,
      methods: { control: { ...sdkToolV2Definition.methods.control, responseStream: false } },
    };
    expect(() => server.add(unary, { control: echoControl })).toThrow(TypeError);
  });

  it('refuses out-of-range HTTP/2 sizes with TRANSPORT_CONFIG', () => {
    for (const options of [
      { maxFrameBytes: 1_000 },
      { maxMessageBytes: -1 },
      { connectionWindowBytes: 2 ** 31 },
    ]) {
      expect(() => createHttp2GrpcServer(options)).toThrow(
        expect.objectContaining({ code: 'TRANSPORT_CONFIG' }),
      );
    }
  });
});

interface RawResponse {
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders | undefined;
  body: Buffer;
}

function rawSession(port: number): ClientHttp2Session {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  cleanups.push(() => session.destroy());
  return session;
}

/**
 * Sends `body` on one stream with the given headers and collects the whole response. With `followUp`,
 * that is sent once the first response bytes arrive (so it lands in a DATA frame of its own).
 */
function rawCall(
  session: ClientHttp2Session,
  body: Uint8Array,
  headers: OutgoingHttpHeaders = {},
  options: { endRequest?: boolean; followUp?: Uint8Array } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/sdk.SdkToolV2/Control',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (value) => {
      responseHeaders = value;
    });
    stream.on('trailers', (value) => {
      trailers = value;
    });
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.followUp !== undefined && chunks.length === 1 && !stream.closed) {
        stream.end(options.followUp);
      }
    });
    // A server may reset the rest of a request it no longer reads (NO_ERROR): Node reports that as an
    // error or 'aborted' after the complete response; the response is what these tests check.
    stream.on('error', () => undefined);
    stream.on('close', () => resolve({ headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
    if (options.followUp !== undefined) stream.write(body);
    else if (options.endRequest === false) stream.write(body);
    else stream.end(body);
  });
}

function statusOf(response: RawResponse): number {
  return Number((response.trailers ?? response.headers)['grpc-status']);
}

function prefixed(flag: number, length: number, message: Uint8Array = new Uint8Array(0)): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = flag;
  prefix.writeUInt32BE(length, 1);
  return Buffer.concat([prefix, message]);
}

describe('Http2GrpcServer with a raw node:http2 client', () => {
  /** A Control handler that records what its request iterable did. */
  function recordingControl(outcome: { error?: unknown; messages: number; ended: boolean }) {
    return async function* control(
      requests: AsyncIterable<ControlInMessage>,
    ): AsyncIterable<ControlOutMessage> {
      try {
        for await (const request of requests) {
          outcome.messages += 1;
          yield { msgId: request.msgId };
        }
      } catch (error) {
        outcome.error = error;
        throw error;
      } finally {
        outcome.ended = true;
      }
    };
  }

  it.each([
    ['a compressed message', () => prefixed(1, 3, Buffer.from([1, 2, 3])), Status.INTERNAL],
    [
      'a message truncated by the end of the stream',
      () => prefixed(0, 100, Buffer.alloc(10)),
      Status.INTERNAL,
    ],
    [
      'a message that does not decode',
      () => prefixed(0, 3, Buffer.from([0xff, 0xff, 0xff])),
      Status.INTERNAL,
    ],
    ['a prefix above maxMessageBytes', () => prefixed(0, 1_000_001), Status.RESOURCE_EXHAUSTED],
  ])('fails the call once on %s and makes the request iterable throw', async (_label, body, code) => {
    const outcome: { error?: unknown; messages: number; ended: boolean } = { messages: 0, ended: false };
    const { port } = await serve({ control: recordingControl(outcome) }, { maxMessageBytes: 1_000_000 });
    const session = rawSession(port);
    const good = Buffer.from(
      sdkToolV2Definition.methods.control.requestType.encode({ msgId: 'ok' }).finish(),
    );
    const response = await rawCall(session, prefixed(0, good.byteLength, good), {}, { followUp: body() });
    expect(statusOf(response)).toBe(code);
    await until(() => outcome.ended);
    expect(outcome.error).toBeInstanceOf(ServerError);
    expect((outcome.error as ServerError).code).toBe(code);
    expect(outcome.messages).toBe(1);
  });

  it('serves a call whose headers HTTP/2 allows but gRPC metadata does not (found by fuzzing: it crashed the server)', async () => {
    let seen: string[] = [];
    const { port } = await serve({
      async *control(requests, context) {
        seen = [...context.metadata].map(([key]) => key);
        for await (const request of requests) yield { msgId: request.msgId };
      },
    });
    const good = Buffer.from(
      sdkToolV2Definition.methods.control.requestType.encode({ msgId: 'ok' }).finish(),
    );
    const response = await rawCall(rawSession(port), prefixed(0, good.byteLength, good), {
      'x-bang!': '1',
      'x-latin': 'caf\u00e9',
      'x-kept': 'yes',
    });
    expect(statusOf(response)).toBe(Status.OK);
    expect(seen).toEqual(['x-kept']);
  });

  it('answers with a Trailers-Only response for an unknown path', async () => {
    const { port } = await serve();
    const response = await rawCall(rawSession(port), prefixed(0, 0), { ':path': '/sdk.SdkToolV2/Nope' });
    expect(response.headers[':status']).toBe(200);
    expect(response.headers['content-type']).toBe('application/grpc');
    expect(Number(response.headers['grpc-status'])).toBe(Status.UNIMPLEMENTED);
    expect(response.trailers).toBeUndefined();
    expect(response.body.byteLength).toBe(0);
  });

  it('answers a compressed grpc-encoding with UNIMPLEMENTED and grpc-accept-encoding identity', async () => {
    const { port } = await serve();
    const response = await rawCall(rawSession(port), prefixed(0, 0), { 'grpc-encoding': 'gzip' });
    expect(statusOf(response)).toBe(Status.UNIMPLEMENTED);
    expect(response.headers['grpc-accept-encoding']).toBe('identity');
  });

  it('answers a wrong content-type with HTTP 415 and a non-POST with HTTP 405', async () => {
    const { port } = await serve();
    const session = rawSession(port);
    const wrongType = await rawCall(session, prefixed(0, 0), { 'content-type': 'application/json' });
    expect(wrongType.headers[':status']).toBe(415);
    const notPost = await new Promise<IncomingHttpHeaders>((resolve) => {
      const stream = session.request({ ':method': 'GET', ':path': '/sdk.SdkToolV2/Control' });
      stream.on('response', resolve);
      stream.on('error', () => undefined);
      stream.resume();
    });
    expect(notPost[':status']).toBe(405);
  });

  it('sends DEADLINE_EXCEEDED itself when grpc-timeout passes', async () => {
    let aborted = false;
    let reason: unknown;
    const { port } = await serve({
      async *control(requests, context) {
        try {
          for await (const request of requests) yield { msgId: request.msgId };
        } finally {
          aborted = context.signal.aborted;
          reason = context.signal.reason;
        }
      },
    });
    const good = Buffer.from(
      sdkToolV2Definition.methods.control.requestType.encode({ msgId: 'ok' }).finish(),
    );
    const response = await rawCall(
      rawSession(port),
      prefixed(0, good.byteLength, good),
      { 'grpc-timeout': '200m' },
      { endRequest: false },
    );
    expect(statusOf(response)).toBe(Status.DEADLINE_EXCEEDED);
    expect(response.headers['content-type']).toBe('application/grpc');
    await until(() => aborted);
    expect(reason).toBeInstanceOf(ServerError);
    expect((reason as ServerError).code).toBe(Status.DEADLINE_EXCEEDED);
  });

  it('treats a grpc-timeout beyond what timers hold as no deadline', async () => {
    const { port } = await serve();
    const good = Buffer.from(
      sdkToolV2Definition.methods.control.requestType.encode({ msgId: 'ok' }).finish(),
    );
    const response = await rawCall(rawSession(port), prefixed(0, good.byteLength, good), {
      'grpc-timeout': '99999999H',
    });
    expect(statusOf(response)).toBe(Status.OK);
    expect(response.body.byteLength).toBeGreaterThan(5);
  });

  it('survives a client that vanishes mid-call', async () => {
    const started = gate();
    let aborted = false;
    const { port } = await serve({
      async *recordTransfer(_requests, context) {
        try {
          for (let index = 0; index < 1_000; index += 1) {
            yield outgoingRecordsMessage({ anchorName: 'a', data: Buffer.alloc(1_000_000) });
            if (index === 2) started.open();
          }
        } finally {
          aborted = context.signal.aborted;
        }
      },
    });
    let socket: Socket | undefined;
    const session = connect(`http://127.0.0.1:${port}`, {
      createConnection: () => {
        socket = createConnection(port, '127.0.0.1');
        return socket;
      },
    });
    session.on('error', () => undefined);
    cleanups.push(() => session.destroy());
    const stream = session.request({
      ':method': 'POST',
      ':path': '/sdk.SdkToolV2/RecordTransfer',
      'content-type': 'application/grpc',
    });
    stream.on('error', () => undefined);
    await started.opened;
    socket?.destroy();
    await until(() => aborted);
    // The server still serves new clients.
    const replies = await collect(clientFor(port).control(fromArray([{ msgId: 'after' }])));
    expect(replies.map((reply) => reply.msgId)).toEqual(['after']);
  });
});
