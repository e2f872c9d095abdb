import { type ClientHttp2Stream, connect, type IncomingHttpHeaders } from 'node:http2';
import { Status } from 'nice-grpc-common';
import { startHttp2FrameRecorder } from './__fixtures__/http2-frame-recorder.js';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import { PassThroughPlugin } from './__fixtures__/test-plugins.js';
import { TransportError } from './errors/transport-error.js';
import { sdk } from './gen/sdk.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { errorCodeTrailerKey } from './internal/service-definition.js';
import type { PluginProvider } from './plugin-provider.js';
import { startPluginServer } from './plugin-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const carrierPairs: ReadonlyArray<{ server: GrpcCarrier; engine: GrpcCarrier }> = [
  { server: 'http2', engine: 'http2' },
  { server: 'grpc-js', engine: 'grpc-js' },
  { server: 'http2', engine: 'grpc-js' },
  { server: 'grpc-js', engine: 'http2' },
];

describe.each(carrierPairs)('refusals by the plugin, plugin server on $server, engine on $engine', (pair) => {
  it('refuses a RecordTransfer message over the size limit in band, naming the limit and the size, and ends both calls with RESOURCE_EXHAUSTED', async () => {
    const maxStreamBytes = 64 * 1024;
    const server = await startPluginServer(PassThroughPlugin, {
      host: '127.0.0.1',
      port: 0,
      carrier: pair.server,
      maxStreamBytes,
    });
    cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
    const recorder = await startHttp2FrameRecorder(server.port);
    cleanups.push(() => recorder.close());
    const raw = openRawSession(recorder.port, {}, pair.engine);
    cleanups.push(() => raw.close());
    await raw.control.push({
      pluginInitializationData: {
        incomingAnchors: [{ name: 'Input', connections: [{ name: '#1' }] }],
        outgoingAnchors: [{ name: 'Output', numConnections: 1 }],
        engineConstants: testEngineConstants,
      },
    });
    const pieceBytes = 300_000;
    await raw.records
      .push({
        incomingRecords: {
          anchorName: 'Input',
          connectionName: '#1',
          data: new Uint8Array(pieceBytes),
          endOfChunk: true,
        },
      })
      .catch(() => undefined);
    const [controlEnd, recordsEnd] = await Promise.all([raw.controlEnd, raw.recordsEnd]);

    // Both calls say what happened: our limit, not an engine that cancelled.
    for (const end of [controlEnd, recordsEnd]) {
      expect(end.status).toBe('error');
      expect(end.code).toBe(Status.RESOURCE_EXHAUSTED);
      expect(end.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_LIMIT_EXCEEDED');
      expect(end.details).toMatch(/^\[TRANSPORT_LIMIT_EXCEEDED\] /);
      expect(end.details).toContain(String(maxStreamBytes));
      // The size seen: the whole message (http2 carrier, from its length prefix) or the piece in it.
      expect(end.details).toMatch(new RegExp(`\\b(${pieceBytes}|${pieceBytes + 13}|30\\d{4})\\b`));
    }

    // In band, before the status: an OMT_Error output message with the same code, on the wire.
    await server.whenIdle();
    const errorMessages = recorder.events.flatMap((event) => {
      if (event.kind !== 'message') return [];
      try {
        const output = sdk.ControlOut.decode(event.bytes).outputMessage;
        return output?.messageType === sdk.OutputMessageTypes.OMT_Error ? [output.message] : [];
      } catch {
        return [];
      }
    });
    expect(errorMessages).toHaveLength(1);
    expect(errorMessages[0]).toMatch(/^\[TRANSPORT_LIMIT_EXCEEDED\] /);
    expect(errorMessages[0]).toContain(String(maxStreamBytes));
  }, 60_000);
});

/** A gRPC length-prefixed message. */
function framed(message: Uint8Array, flag = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = flag;
  prefix.writeUInt32BE(message.byteLength, 1);
  return Buffer.concat([prefix, message]);
}

/** Every gRPC message of a response body, and its status from the trailers (or Trailers-Only headers). */
function collectCall(
  stream: ClientHttp2Stream,
): Promise<{ messages: Buffer[]; status: number; details: string }> {
  return new Promise((resolve) => {
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    let body = Buffer.alloc(0);
    stream.on('response', (value) => {
      headers = value;
    });
    stream.on('trailers', (value) => {
      trailers = value;
    });
    stream.on('data', (chunk: Buffer) => {
      body = Buffer.concat([body, chunk]);
    });
    stream.on('error', () => undefined);
    // 'end' (the status arrived), not 'close': a server may leave the engine's half of the stream open.
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      const messages: Buffer[] = [];
      for (let offset = 0; offset + 5 <= body.length; ) {
        const length = body.readUInt32BE(offset + 1);
        messages.push(body.subarray(offset + 5, offset + 5 + length));
        offset += 5 + length;
      }
      const source = trailers ?? headers;
      resolve({
        messages,
        status: Number(source['grpc-status']),
        details: decodeURIComponent(String(source['grpc-message'] ?? '')),
      });
    };
    stream.on('end', finish);
    stream.on('close', finish);
  });
}

describe.each(['http2', 'grpc-js'] as const)(
  'refusals by the plugin, plugin server on %s, raw HTTP/2 engine',
  (carrier) => {
    it('refuses a RecordTransfer message that does not decode, in band and with INVALID_ARGUMENT on both calls', async () => {
      const server = await startPluginServer(PassThroughPlugin, { host: '127.0.0.1', port: 0, carrier });
      cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
      const session = connect(`http://127.0.0.1:${server.port}`);
      session.on('error', () => undefined);
      cleanups.push(() => session.destroy());
      const open = (method: string) =>
        session.request({
          ':method': 'POST',
          ':path': `/sdk.SdkToolV2/${method}`,
          'content-type': 'application/grpc',
          te: 'trailers',
        });
      const control = open('Control');
      const records = open('RecordTransfer');
      const controlEnd = collectCall(control);
      const recordsEnd = collectCall(records);
      const init = sdk.ControlIn.encode({
        pluginInitializationData: {
          incomingAnchors: [{ name: 'Input', connections: [{ name: '#1' }] }],
          outgoingAnchors: [{ name: 'Output', numConnections: 1 }],
          engineConstants: testEngineConstants,
        },
      }).finish();
      control.write(framed(init));
      // Field 1 as a length-delimited value whose length runs past the message's end.
      records.write(framed(Uint8Array.from([0x0a, 0x7f, 0x01])));
      const [controlResult, recordsResult] = await Promise.all([controlEnd, recordsEnd]);

      const errors = controlResult.messages
        .map((bytes) => sdk.ControlOut.decode(bytes).outputMessage)
        .filter((output) => output?.messageType === sdk.OutputMessageTypes.OMT_Error);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(
        /^\[TRANSPORT_PROTOCOL\] the plugin refused a RecordTransfer message/,
      );
      expect(errors[0]?.message).toContain('3 bytes');
      for (const end of [controlResult, recordsResult]) {
        expect(end.status).toBe(Status.INVALID_ARGUMENT);
        expect(end.details).toMatch(/^\[TRANSPORT_PROTOCOL\] the plugin refused a RecordTransfer message/);
      }
    }, 60_000);
  },
);

describe.each(carrierPairs)(
  'a second session refused, plugin server on $server, engine on $engine',
  (pair) => {
    it('refuses a second concurrent session in band on Control and with FAILED_PRECONDITION on both calls', async () => {
      const server = await startPluginServer(PassThroughPlugin, {
        host: '127.0.0.1',
        port: 0,
        carrier: pair.server,
      });
      cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
      const recorder = await startHttp2FrameRecorder(server.port);
      cleanups.push(() => recorder.close());
      const first = openRawSession(server.port, {}, pair.engine);
      cleanups.push(() => first.close());
      await first.control.push({
        pluginInitializationData: {
          incomingAnchors: [{ name: 'Input', connections: [{ name: '#1' }] }],
          outgoingAnchors: [{ name: 'Output', numConnections: 1 }],
          engineConstants: testEngineConstants,
        },
      });
      // The first session is running (initialised, waiting for input) when the second engine calls.
      while (first.controlOut.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const second = openRawSession(recorder.port, {}, pair.engine);
      cleanups.push(() => second.close());
      const [controlEnd, recordsEnd] = await Promise.all([second.controlEnd, second.recordsEnd]);
      for (const end of [controlEnd, recordsEnd]) {
        expect(end.code).toBe(Status.FAILED_PRECONDITION);
        expect(end.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_PROTOCOL');
        expect(end.details).toMatch(/^\[TRANSPORT_PROTOCOL\] this plugin server runs one session at a time/);
      }
      const errorMessages = recorder.events.flatMap((event) => {
        if (event.kind !== 'message') return [];
        const output = sdk.ControlOut.decode(event.bytes).outputMessage;
        return output?.messageType === sdk.OutputMessageTypes.OMT_Error ? [output.message] : [];
      });
      expect(errorMessages).toEqual([
        expect.stringMatching(/^\[TRANSPORT_PROTOCOL\] this plugin server runs one/),
      ]);
      // The first session is untouched.
      await first.control.push({ notifyComplete: {} });
      expect((await first.controlEnd).status).toBe('ok');
    }, 60_000);
  },
);

/** Keeps why its run ended (the provider's signal reason), for the test to read in-process. */
const endReasons: string[] = [];
class ReasonRecordingPlugin {
  constructor(provider: PluginProvider) {
    provider.signal.addEventListener('abort', () => {
      const reason: unknown = provider.signal.reason;
      endReasons.push(TransportError.isInstance(reason) ? reason.code : 'untyped');
    });
  }
}

describe.each(['http2', 'grpc-js'] as const)('the engine’s deadline, plugin server on %s', (carrier) => {
  it('ends the plugin’s session with TRANSPORT_TIMEOUT, not a cancellation blamed on the engine', async () => {
    endReasons.length = 0;
    const server = await startPluginServer(ReasonRecordingPlugin, { host: '127.0.0.1', port: 0, carrier });
    cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
    // grpc-timeout is sent by the http2 client (nice-grpc's grpc-js client needs a middleware for it).
    const raw = openRawSession(server.port, {}, 'http2', { deadline: 1_500 });
    cleanups.push(() => raw.close());
    await raw.control.push({
      pluginInitializationData: {
        incomingAnchors: [{ name: 'Input', connections: [{ name: '#1' }] }],
        engineConstants: testEngineConstants,
      },
    });
    const [controlEnd, recordsEnd] = await Promise.all([raw.controlEnd, raw.recordsEnd]);
    expect(controlEnd.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(recordsEnd.code).toBe(Status.DEADLINE_EXCEEDED);
    await server.whenIdle();
    expect(endReasons).toEqual(['TRANSPORT_TIMEOUT']);
  }, 60_000);
});
