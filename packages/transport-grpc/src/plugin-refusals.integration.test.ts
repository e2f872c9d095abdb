import { Status } from 'nice-grpc-common';
import { startHttp2FrameRecorder } from './__fixtures__/http2-frame-recorder.js';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import { PassThroughPlugin } from './__fixtures__/test-plugins.js';
import { sdk } from './gen/sdk.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { errorCodeTrailerKey } from './internal/service-definition.js';
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
