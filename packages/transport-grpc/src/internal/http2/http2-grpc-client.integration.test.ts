import {
  constants,
  createServer as createHttp2Server,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer as createNetServer } from 'node:net';
import { ServerCredentials } from '@grpc/grpc-js';
import { type CallContext, createServer, type Server } from 'nice-grpc';
import { Metadata, ServerError, Status } from 'nice-grpc-common';
import { collect, expectClientError, testTlsMaterial, until } from '../../__fixtures__/call-helpers';
import { TransportError } from '../../errors/transport-error';
import {
  type RecordTransferInMessage,
  type RecordTransferOutMessage,
  sdkToolV2Definition,
  unlimitedMessageSizeOptions,
} from '../service-definition';
import { messagePrefixBytes } from './grpc-framing';
import { createHttp2GrpcChannel, createHttp2GrpcClient, type Http2GrpcChannel } from './http2-grpc-client';

type RecordTransferHandler = (
  requests: AsyncIterable<RecordTransferInMessage>,
  context: CallContext,
) => AsyncIterable<RecordTransferOutMessage>;

const tls = testTlsMaterial();
const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A nice-grpc (grpc-js) server whose RecordTransfer runs `handler`; Control echoes. */
async function startGrpcJsServer(
  handler: RecordTransferHandler,
  options: { port?: number; tls?: boolean } = {},
): Promise<{ server: Server; port: number }> {
  const server = createServer({ ...unlimitedMessageSizeOptions });
  server.add(sdkToolV2Definition, {
    recordTransfer: handler,
    async *control(requests) {
      for await (const request of requests) yield { outputMessage: { message: request.msgId ?? '' } };
    },
  });
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [
        {
          cert_chain: tls.certChain,
          private_key: tls.privateKey,
        },
      ])
    : ServerCredentials.createInsecure();
  const port = await server.listen(`127.0.0.1:${options.port ?? 0}`, credentials);
  cleanups.push(() => server.forceShutdown());
  return { server, port };
}

/** A raw node:http2 server for responses grpc-js cannot produce. */
async function startRawServer(
  onStream: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void,
): Promise<{ server: Http2Server; port: number; sessions: Set<Http2Session> }> {
  const server = createHttp2Server();
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => undefined);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    onStream(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sessions };
}

function openClient(port: number, options: Parameters<typeof createHttp2GrpcChannel>[1] = {}) {
  const channel = createHttp2GrpcChannel(`127.0.0.1:${port}`, options);
  cleanups.push(() => channel.close());
  return { channel, client: createHttp2GrpcClient(sdkToolV2Definition, channel) };
}

function piece(data: Uint8Array, name = 'Input'): RecordTransferInMessage {
  return { incomingRecords: { anchorName: name, connectionName: '#1', data, endOfChunk: true } };
}

function patterned(bytes: number, seed: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let index = 0; index < bytes; index += 1) data[index] = (index * 31 + seed) & 0xff;
  return data;
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Requests that never end until the test finishes (the call stays open). */
function openRequests(): {
  requests: AsyncIterable<RecordTransferInMessage>;
  push(message: RecordTransferInMessage): void;
} {
  const queue: RecordTransferInMessage[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  cleanups.push(() => {
    finished = true;
    wake?.();
  });
  async function* generate(): AsyncGenerator<RecordTransferInMessage> {
    while (!finished) {
      const next = queue.shift();
      if (next !== undefined) yield next;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return {
    requests: generate(),
    push(message) {
      queue.push(message);
      wake?.();
    },
  };
}

async function* echo(
  requests: AsyncIterable<RecordTransferInMessage>,
): AsyncGenerator<RecordTransferOutMessage> {
  for await (const request of requests) yield { outgoingRecords: request.incomingRecords };
}

/** Echoes, then stays open until the client cancels; `state.cancelled` tells the test it did. */
function echoUntilCancelled(state: { cancelled: boolean }): RecordTransferHandler {
  return async function* (requests, context) {
    const cancelled = new Promise<void>((resolve) =>
      context.signal.addEventListener('abort', () => {
        state.cancelled = true;
        resolve();
      }),
    );
    // grpc-js ends the request stream on a RST_STREAM before it reports the cancel, so the handler
    // must outlive its requests to observe it.
    yield* echo(requests);
    await cancelled;
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Waits until `read()` stops changing for a few polls (the pipeline has filled up). */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const value = read();
    stable = value === last ? stable + 1 : 0;
    last = value;
  }
  return last;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('HTTP/2 gRPC client against a grpc-js server', () => {
  it('echoes many messages both ways, including 4 MB and 20 MB records pieces', async () => {
    const { port } = await startGrpcJsServer(echo);
    const { client } = openClient(port);
    const sent = [
      ...Array.from({ length: 200 }, (_, index) => patterned(100 + index, index)),
      patterned(4 * 1024 * 1024, 7),
      patterned(20 * 1024 * 1024, 9),
      new Uint8Array(0),
      patterned(70_000, 3),
    ];
    const received = await collect(client.recordTransfer(fromArray(sent.map((data) => piece(data)))));
    expect(received).toHaveLength(sent.length);
    received.forEach((message, index) => {
      expect(message.outgoingRecords?.anchorName).toBe('Input');
      expect(
        Buffer.from(message.outgoingRecords?.data ?? new Uint8Array(0)).equals(sent[index] as Uint8Array),
      ).toBe(true);
    });
  });

  it('runs concurrent calls of both methods on one shared connection', async () => {
    const peers: string[] = [];
    const { port } = await startGrpcJsServer(async function* (requests, context) {
      peers.push(context.peer);
      yield* echo(requests);
    });
    const { client } = openClient(port);
    const [first, second, control] = await Promise.all([
      collect(client.recordTransfer(fromArray([piece(patterned(10, 1))]))),
      collect(client.recordTransfer(fromArray([piece(patterned(10, 2)), piece(patterned(10, 3))]))),
      collect(client.control(fromArray([{ msgId: 'a' }, { msgId: 'b' }]))),
    ]);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(2);
    expect(control.map((message) => message.outputMessage?.message)).toEqual(['a', 'b']);
    expect(peers).toHaveLength(2);
    expect(peers[0]).toBe(peers[1]);
  });

  it('sends metadata and delivers the header and trailer', async () => {
    let seen: Metadata | undefined;
    const { port } = await startGrpcJsServer(async function* (requests, context) {
      seen = context.metadata;
      context.header.set('x-header-out', 'from-header');
      context.trailer.set('x-trailer-out', 'from-trailer');
      context.trailer.set('x-binary-bin', Buffer.from([0, 1, 255]));
      yield* echo(requests);
    });
    const { client } = openClient(port);
    const metadata = Metadata({ 'x-token': 'secret', 'x-blob-bin': Buffer.from([9, 8, 7]) });
    metadata.append('x-many', 'one');
    metadata.append('x-many', 'two');
    let header: Metadata | undefined;
    let trailer: Metadata | undefined;
    const received = await collect(
      client.recordTransfer(fromArray([piece(patterned(5, 1))]), {
        metadata,
        onHeader: (value) => {
          header = value;
        },
        onTrailer: (value) => {
          trailer = value;
        },
      }),
    );
    expect(received).toHaveLength(1);
    expect(seen?.get('x-token')).toBe('secret');
    expect(Buffer.from(seen?.get('x-blob-bin') ?? new Uint8Array(0))).toEqual(Buffer.from([9, 8, 7]));
    // Node's HTTP/2 joins repeated headers with ", ", which gRPC allows for metadata values.
    expect(seen?.getAll('x-many').join(', ')).toBe('one, two');
    expect(header?.get('x-header-out')).toBe('from-header');
    expect(trailer?.get('x-trailer-out')).toBe('from-trailer');
    expect(Buffer.from(trailer?.get('x-binary-bin') ?? new Uint8Array(0))).toEqual(Buffer.from([0, 1, 255]));
  });

  it('throws a ServerError status with non-ASCII details after the messages, trailer first', async () => {
    const details = 'kaputt: Größe überschritten ✗ 100% [TRANSPORT_PROTOCOL]';
    const { port } = await startGrpcJsServer(async function* (requests, context) {
      for await (const request of requests) {
        yield { outgoingRecords: request.incomingRecords };
        break;
      }
      context.trailer.set('x-sdk-error-code', 'TRANSPORT_PROTOCOL');
      throw new ServerError(Status.FAILED_PRECONDITION, details);
    });
    const { client } = openClient(port);
    const events: string[] = [];
    const run = async () => {
      for await (const message of client.recordTransfer(
        fromArray([piece(patterned(3, 1)), piece(patterned(3, 2))]),
        {
          onTrailer: (trailer) => events.push(`trailer ${trailer.get('x-sdk-error-code')}`),
        },
      )) {
        events.push(`message ${message.outgoingRecords?.data?.byteLength}`);
      }
    };
    const error = await expectClientError(run(), [Status.FAILED_PRECONDITION]);
    expect(error.details).toBe(details);
    expect(error.path).toBe('/sdk.SdkToolV2/RecordTransfer');
    expect(events).toEqual(['message 3', 'trailer TRANSPORT_PROTOCOL']);
  });

  it('cancels at the deadline with DEADLINE_EXCEEDED, and the server sees the cancel', async () => {
    let serverAborted = false;
    const { port } = await startGrpcJsServer(async function* (_requests, context) {
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
      serverAborted = true;
    });
    const { client } = openClient(port);
    const { requests } = openRequests();
    await expectClientError(collect(client.recordTransfer(requests, { deadline: 300 })), [
      Status.DEADLINE_EXCEEDED,
    ]);
    await until(() => serverAborted);
  });

  it('fails with DEADLINE_EXCEEDED for a Date deadline already in the past', async () => {
    const { port } = await startGrpcJsServer(echo);
    const { client } = openClient(port);
    const { requests } = openRequests();
    await expectClientError(
      collect(client.recordTransfer(requests, { deadline: new Date(Date.now() - 1000) })),
      [Status.DEADLINE_EXCEEDED],
    );
  });

  it('rejects with an AbortError when the signal aborts, and cancels the server call', async () => {
    const server = { cancelled: false };
    const { port } = await startGrpcJsServer(echoUntilCancelled(server));
    const { client } = openClient(port);
    const controller = new AbortController();
    const { requests, push } = openRequests();
    push(piece(patterned(4, 1)));
    const received: unknown[] = [];
    const error = await failureOf(
      (async () => {
        for await (const message of client.recordTransfer(requests, { signal: controller.signal })) {
          received.push(message);
          controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    expect(received).toHaveLength(1);
    await until(() => server.cancelled);
  });

  it('rejects at once with an AbortError for an already aborted signal', async () => {
    const { port } = await startGrpcJsServer(echo);
    const { client } = openClient(port);
    const error = await failureOf(
      collect(client.recordTransfer(fromArray([piece(patterned(1, 1))]), { signal: AbortSignal.abort() })),
    );
    expect((error as Error).name).toBe('AbortError');
  });

  it('cancels the call when the caller breaks out of the response loop', async () => {
    const server = { cancelled: false };
    const { port } = await startGrpcJsServer(echoUntilCancelled(server));
    const { client } = openClient(port);
    const { requests, push } = openRequests();
    push(piece(patterned(4, 1)));
    push(piece(patterned(4, 2)));
    let count = 0;
    for await (const _message of client.recordTransfer(requests)) {
      count += 1;
      break;
    }
    expect(count).toBe(1);
    await until(() => server.cancelled);
  });

  it('rejects the responses with the error the request iterable throws, and cancels the call', async () => {
    const server = { cancelled: false };
    const { port } = await startGrpcJsServer(echoUntilCancelled(server));
    const { client } = openClient(port);
    const failure = new RangeError('request source broke');
    async function* failing(): AsyncGenerator<RecordTransferInMessage> {
      yield piece(patterned(4, 1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw failure;
    }
    expect(await failureOf(collect(client.recordTransfer(failing())))).toBe(failure);
    await until(() => server.cancelled);
  });

  it('does not drain the request iterable ahead of a slow server', async () => {
    let releaseServer: (() => void) | undefined;
    const serverGate = new Promise<void>((resolve) => (releaseServer = resolve));
    const { port } = await startGrpcJsServer(async function* (requests) {
      await serverGate;
      let count = 0;
      for await (const _request of requests) count += 1;
      yield { outgoingRecords: { anchorName: String(count) } };
    });
    const { client } = openClient(port);
    const total = 200;
    let pulled = 0;
    async function* requests(): AsyncGenerator<RecordTransferInMessage> {
      for (let index = 0; index < total; index += 1) {
        pulled += 1;
        yield piece(patterned(256 * 1024, index));
      }
    }
    const result = collect(client.recordTransfer(requests()));
    const pulledWhileBlocked = await settled(() => pulled);
    // 200 x 256 KiB = 50 MiB; what is pulled ahead is bounded by the send-ahead budget and the
    // flow-control windows, a small fraction of that.
    expect(pulledWhileBlocked).toBeLessThan(total / 2);
    releaseServer?.();
    const received = await result;
    expect(received.map((message) => message.outgoingRecords?.anchorName)).toEqual([String(total)]);
  });

  it('reads responses ahead only a bounded amount while the caller is slow', async () => {
    let produced = 0;
    const total = 200;
    const { port } = await startGrpcJsServer(async function* () {
      for (let index = 0; index < total; index += 1) {
        produced += 1;
        yield { outgoingRecords: { anchorName: 'Output', data: patterned(256 * 1024, index) } };
      }
    });
    const { client } = openClient(port);
    const iterator = client.recordTransfer(fromArray([]))[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const producedWhileBlocked = await settled(() => produced);
    expect(producedWhileBlocked).toBeLessThan(total / 2);
    let count = 1;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) count += 1;
    expect(count).toBe(total);
  });

  it('fails a call with UNAVAILABLE or CANCELLED when the server is killed mid-call', async () => {
    const { server, port } = await startGrpcJsServer(echo);
    const { client } = openClient(port);
    const { requests, push } = openRequests();
    push(piece(patterned(4, 1)));
    const failure = expectClientError(
      (async () => {
        for await (const _message of client.recordTransfer(requests)) server.forceShutdown();
      })(),
      [Status.UNAVAILABLE, Status.CANCELLED],
    );
    await failure;
  });

  it('fails with UNAVAILABLE when the connection is refused', async () => {
    const port = await freePort();
    const { client } = openClient(port);
    const error = await expectClientError(
      collect(client.recordTransfer(fromArray([piece(patterned(1, 1))]))),
      [Status.UNAVAILABLE],
    );
    expect(error.details).toContain('ECONNREFUSED');
  });

  it('connects over TLS with the fixture root, and fails against a TLS server without TLS', async () => {
    const { port } = await startGrpcJsServer(echo, { tls: true });
    const { client } = openClient(port, { tls: { rootCerts: tls.certChain } });
    const received = await collect(client.recordTransfer(fromArray([piece(patterned(1000, 1))])));
    expect(received[0]?.outgoingRecords?.data?.byteLength).toBe(1000);
    const { client: plaintext } = openClient(port);
    await expectClientError(collect(plaintext.recordTransfer(fromArray([piece(patterned(1, 1))]))), [
      Status.UNAVAILABLE,
      Status.INTERNAL,
    ]);
  });

  it('fails TLS with UNAVAILABLE when the server certificate is not trusted', async () => {
    const { port } = await startGrpcJsServer(echo, { tls: true });
    const { client } = openClient(port, { tls: {} });
    const error = await expectClientError(
      collect(client.recordTransfer(fromArray([piece(patterned(1, 1))]))),
      [Status.UNAVAILABLE],
    );
    expect(error.details).toMatch(/certificate/i);
  });

  it('reconnects after the server restarts on the same port', async () => {
    const first = await startGrpcJsServer(echo);
    const { client } = openClient(first.port);
    expect(await collect(client.recordTransfer(fromArray([piece(patterned(2, 1))])))).toHaveLength(1);
    first.server.forceShutdown();
    await expectClientError(collect(client.recordTransfer(fromArray([piece(patterned(2, 1))]))), [
      Status.UNAVAILABLE,
    ]);
    await startGrpcJsServer(echo, { port: first.port });
    expect(await collect(client.recordTransfer(fromArray([piece(patterned(2, 1))])))).toHaveLength(1);
  });

  it('closes: running calls fail, later calls fail with UNAVAILABLE "channel closed", idempotently', async () => {
    const { port } = await startGrpcJsServer(echo);
    const { channel, client } = openClient(port);
    const { requests, push } = openRequests();
    push(piece(patterned(4, 1)));
    const running = expectClientError(
      (async () => {
        for await (const _message of client.recordTransfer(requests)) channel.close();
      })(),
      [Status.UNAVAILABLE, Status.CANCELLED],
    );
    await running;
    channel.close();
    const later = await expectClientError(
      collect(client.recordTransfer(fromArray([piece(patterned(1, 1))]))),
      [Status.UNAVAILABLE],
    );
    expect(later.details).toBe('channel closed');
  });
});

describe('HTTP/2 gRPC client against a raw HTTP/2 server', () => {
  function respondStatus(stream: ServerHttp2Stream, code: Status, message?: string): void {
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': String(code),
        ...(message === undefined ? {} : { 'grpc-message': message }),
      },
      { endStream: true },
    );
  }

  function grpcResponse(stream: ServerHttp2Stream, body: Uint8Array[], code = Status.OK): void {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(code) }));
    for (const part of body) stream.write(part);
    stream.end();
  }

  function prefix(length: number, flag = 0): Buffer {
    const bytes = Buffer.alloc(messagePrefixBytes);
    bytes[0] = flag;
    bytes.writeUInt32BE(length, 1);
    return bytes;
  }

  const oneRequest = () => fromArray([piece(patterned(3, 1))]);

  it('sends the gRPC request headers', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const { port } = await startRawServer((stream, headers) => {
      seen = headers;
      stream.resume();
      stream.on('end', () => respondStatus(stream, Status.OK));
    });
    const { client } = openClient(port);
    const metadata = Metadata({ 'x-token': 'abc', 'x-raw-bin': Buffer.from([1, 2, 3]) });
    await collect(client.recordTransfer(oneRequest(), { metadata, deadline: 60_000 }));
    expect(seen?.[':method']).toBe('POST');
    expect(seen?.[':scheme']).toBe('http');
    expect(seen?.[':path']).toBe('/sdk.SdkToolV2/RecordTransfer');
    expect(seen?.[':authority']).toBe(`127.0.0.1:${port}`);
    expect(seen?.['content-type']).toBe('application/grpc');
    expect(seen?.te).toBe('trailers');
    expect(seen?.['user-agent']).toMatch(/^sdk-transport-grpc-http2/);
    expect(seen?.['grpc-accept-encoding']).toBe('identity');
    expect(seen?.['grpc-timeout']).toMatch(/^\d+m$/);
    expect(Number(/^(\d+)m$/.exec(String(seen?.['grpc-timeout']))?.[1])).toBeLessThanOrEqual(60_000);
    expect(seen?.['x-token']).toBe('abc');
    expect(seen?.['x-raw-bin']).toBe(Buffer.from([1, 2, 3]).toString('base64'));
  });

  it('sends in grpc-timeout the time left when the headers leave, not the time given at the call', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const { port } = await startRawServer((stream, headers) => {
      seen = headers;
      stream.resume();
      stream.on('end', () => respondStatus(stream, Status.OK));
    });
    const { client } = openClient(port);
    const responses = collect(client.recordTransfer(oneRequest(), { deadline: 10_000 }));
    // The connection is being set up; a busy process stalls before it completes. The server must
    // not start its clock 700 ms late, or it would take the client's cancel at the deadline for an
    // early one.
    const stallUntil = Date.now() + 700;
    while (Date.now() < stallUntil) {
      // busy on purpose
    }
    await responses;
    const sentMs = Number(/^(\d+)m$/.exec(String(seen?.['grpc-timeout']))?.[1]);
    expect(sentMs).toBeGreaterThan(0);
    expect(sentMs).toBeLessThanOrEqual(10_000 - 700);
  });

  it.each([
    [503, Status.UNAVAILABLE],
    [404, Status.UNIMPLEMENTED],
    [401, Status.UNAUTHENTICATED],
  ])('maps HTTP %i to its gRPC code', async (httpStatus, code) => {
    const { port } = await startRawServer((stream) => {
      stream.respond({ ':status': httpStatus, 'content-type': 'text/plain' });
      stream.end('not here');
    });
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [code]);
  });

  it('fails a 200 response that is not application/grpc', async () => {
    const { port } = await startRawServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.end('<html></html>');
    });
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.UNKNOWN]);
  });

  it('fails a 200 response without content-type', async () => {
    const { port } = await startRawServer((stream) => {
      stream.respond({ ':status': 200 });
      stream.end();
    });
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.UNKNOWN]);
  });

  it('handles a Trailers-Only response: status and trailer from the HEADERS frame', async () => {
    const { port } = await startRawServer((stream) => {
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(Status.PERMISSION_DENIED),
          'grpc-message': 'no%20entry %E2%9C%97',
          'x-why': 'policy',
        },
        { endStream: true },
      );
    });
    const { client } = openClient(port);
    let trailer: Metadata | undefined;
    let headerCalled = false;
    const error = await expectClientError(
      collect(
        client.recordTransfer(oneRequest(), {
          onTrailer: (value) => {
            trailer = value;
          },
          onHeader: () => {
            headerCalled = true;
          },
        }),
      ),
      [Status.PERMISSION_DENIED],
    );
    expect(error.details).toBe('no entry ✗');
    expect(trailer?.get('x-why')).toBe('policy');
    expect(headerCalled).toBe(false);
  });

  it('ends cleanly on a Trailers-Only OK response', async () => {
    const { port } = await startRawServer((stream) => respondStatus(stream, Status.OK));
    const { client } = openClient(port);
    expect(await collect(client.recordTransfer(oneRequest()))).toEqual([]);
  });

  it('fails a compressed message with INTERNAL', async () => {
    const { port } = await startRawServer((stream) =>
      grpcResponse(stream, [prefix(3, 1), Buffer.from([1, 2, 3])]),
    );
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.INTERNAL]);
  });

  it('fails a message above maxMessageBytes with RESOURCE_EXHAUSTED from its prefix alone', async () => {
    let serverStreamClosed = false;
    const { port } = await startRawServer((stream) => {
      stream.on('close', () => {
        serverStreamClosed = true;
      });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      // Only the prefix is sent: the client must fail without waiting for the body.
      stream.write(prefix(1_000_000));
    });
    const { client } = openClient(port, { maxMessageBytes: 1000 });
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.RESOURCE_EXHAUSTED]);
    await until(() => serverStreamClosed);
  });

  it('fails a message cut short before the trailers with INTERNAL', async () => {
    const { port } = await startRawServer((stream) => grpcResponse(stream, [prefix(100), Buffer.alloc(10)]));
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.INTERNAL]);
  });

  it('fails a response message the codec cannot decode with INTERNAL', async () => {
    const { port } = await startRawServer((stream) =>
      grpcResponse(stream, [prefix(2), Buffer.from([0xff, 0xff])]),
    );
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.INTERNAL]);
  });

  it('fails with INTERNAL when the stream ends without a gRPC status', async () => {
    const { port } = await startRawServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end();
    });
    const { client } = openClient(port);
    await expectClientError(collect(client.recordTransfer(oneRequest())), [Status.INTERNAL]);
  });

  it.each([
    [constants.NGHTTP2_CANCEL, Status.CANCELLED],
    [constants.NGHTTP2_REFUSED_STREAM, Status.UNAVAILABLE],
    [constants.NGHTTP2_INTERNAL_ERROR, Status.INTERNAL],
  ])('maps a server RST_STREAM code %i without status', async (resetCode, code) => {
    const { port } = await startRawServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      setTimeout(() => stream.close(resetCode), 10);
    });
    const { client } = openClient(port);
    // The request side stays open: once the client has half-closed, Node reports a peer's reset
    // as a clean close (rstCode 0) and the client can only say INTERNAL.
    await expectClientError(collect(client.recordTransfer(openRequests().requests)), [code]);
  });

  it('replaces a session the server closed (GOAWAY) at the next call', async () => {
    const { port, sessions } = await startRawServer((stream) => {
      stream.resume();
      stream.on('end', () => respondStatus(stream, Status.OK));
    });
    let opened = 0;
    const { client } = openClient(port);
    await collect(client.recordTransfer(oneRequest()));
    opened += sessions.size;
    for (const session of sessions) session.close();
    await until(() => sessions.size === 0);
    await collect(client.recordTransfer(oneRequest()));
    opened += sessions.size;
    expect(opened).toBe(2);
  });
});

describe('createHttp2GrpcClient and createHttp2GrpcChannel', () => {
  it('refuses a definition with a non-bidi method', () => {
    const unary = {
      name: 'Unary',
      fullName: 'test.Unary',
      methods: {
        ping: {
          ...sdkToolV2Definition.methods.control,
          name: 'Ping',
          requestStream: false,
          responseStream: false,
        },
      },
    } as const;
    const channel: Http2GrpcChannel = createHttp2GrpcChannel('127.0.0.1:1');
    cleanups.push(() => channel.close());
    let error: unknown;
    try {
      createHttp2GrpcClient(unary, channel);
    } catch (thrown) {
      error = thrown;
    }
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as TransportError).code).toBe('TRANSPORT_CONFIG');
  });

  it.each([['localhost'], ['127.0.0.1:0'], ['::1:50051'], ['host:99999']])(
    'refuses the address %s with TRANSPORT_CONFIG',
    (address) => {
      let error: unknown;
      try {
        createHttp2GrpcChannel(address);
      } catch (thrown) {
        error = thrown;
      }
      expect((error as TransportError).code).toBe('TRANSPORT_CONFIG');
    },
  );

  it('refuses out-of-range HTTP/2 sizes with TRANSPORT_CONFIG', () => {
    for (const options of [
      { maxFrameBytes: 1000 },
      { streamWindowBytes: 2 ** 31 },
      { maxMessageBytes: -1 },
    ]) {
      let error: unknown;
      try {
        createHttp2GrpcChannel('127.0.0.1:1', options);
      } catch (thrown) {
        error = thrown;
      }
      expect((error as TransportError).code).toBe('TRANSPORT_CONFIG');
    }
  });

  it('accepts an IPv6 address and keeps it as given', () => {
    const channel = createHttp2GrpcChannel('[::1]:50051');
    expect(channel.address).toBe('[::1]:50051');
    channel.close();
  });
});

describe('HTTP/2 gRPC client deadlines on a fake clock', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  /** Polls on setImmediate, which the fake clock leaves alone, so I/O keeps flowing. */
  function untilNow(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (condition() ? resolve() : setImmediate(check));
      check();
    });
  }

  it('keeps a deadline beyond the timer range, then cancels at it with RST_STREAM CANCEL', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask'] });
    const dayMs = 24 * 60 * 60 * 1000;
    let timeoutHeader: string | undefined;
    let serverResetCode: number | undefined;
    const { port } = await startRawServer((stream, headers) => {
      timeoutHeader = String(headers['grpc-timeout']);
      stream.on('close', () => {
        serverResetCode = stream.rstCode;
      });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
    });
    const { client } = openClient(port);
    let settledCall = false;
    const failure = expectClientError(
      collect(client.recordTransfer(openRequests().requests, { deadline: 30 * dayMs })),
      [Status.DEADLINE_EXCEEDED],
    ).finally(() => {
      settledCall = true;
    });
    await untilNow(() => timeoutHeader !== undefined);
    expect(timeoutHeader).toBe(`${30 * 24 * 60 * 60}S`);
    // Past the ~24.8-day range of one timer: a naive timer would have fired long ago (or at once).
    jest.advanceTimersByTime(29 * dayMs);
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(settledCall).toBe(false);
    expect(serverResetCode).toBeUndefined();
    jest.advanceTimersByTime(dayMs);
    await failure;
    await untilNow(() => serverResetCode !== undefined);
    expect(serverResetCode).toBe(constants.NGHTTP2_CANCEL);
  });
});
