import { tableFromArrays } from 'apache-arrow';
import { type ServerWireEvent, startHttp2FrameRecorder } from './__fixtures__/http2-frame-recorder.js';
import { PassThroughPlugin, RecordingPlugin } from './__fixtures__/test-plugins.js';
import { sdk } from './gen/sdk.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { connectToPlugin } from './plugin-connection.js';
import { startPluginServer } from './plugin-server.js';
import { runPlugin } from './run-plugin.js';
import type { SdkPluginClass } from './sdk-plugin.js';

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

/** `stream N: <what>` for each thing the plugin sent, in wire order, on the streams of interest. */
function wireTimeline(events: readonly ServerWireEvent[]): {
  control: number;
  records: number;
  lines: string[];
} {
  const isConfirm = (event: ServerWireEvent) =>
    event.kind === 'message' && event.bytes.length === 2 && event.bytes[0] === 0x2a && event.bytes[1] === 0;
  const confirm = events.find(isConfirm);
  if (confirm === undefined) throw new Error('no confirm_complete on the wire');
  const control = confirm.streamId;
  const closeMessage = events.find(
    (event) =>
      event.kind === 'message' &&
      event.streamId !== control &&
      event.bytes[0] === 0x1a &&
      sdk.RecordTransferOut.decode(event.bytes).closeOutgoingAnchor?.name === 'Output',
  );
  // Without a close message (update-only mode) RecordTransfer is the other stream that got a status.
  const recordsEvent =
    closeMessage ??
    events.find(
      (event) =>
        event.kind === 'end-stream' && event.connection === confirm.connection && event.streamId !== control,
    );
  if (recordsEvent === undefined) throw new Error('no RecordTransfer status on the wire');
  const records = recordsEvent.streamId;
  expect(confirm.connection).toBe(recordsEvent.connection);
  const lines: string[] = [];
  for (const event of events) {
    if (event.connection !== confirm.connection) continue;
    if (event.streamId !== control && event.streamId !== records) continue;
    const stream = event.streamId === control ? 'Control' : 'RecordTransfer';
    if (event.kind === 'end-stream') lines.push(`${stream} END`);
    else if (event.kind === 'reset') lines.push(`${stream} RST_STREAM`);
    else if (event === confirm) lines.push('Control confirm_complete');
    else if (event === closeMessage) lines.push('RecordTransfer close_outgoing_anchor');
    else if (event.streamId === records) lines.push('RecordTransfer records');
    else lines.push('Control message');
  }
  return { control, records, lines };
}

describe.each(carrierPairs)(
  'completion order on the wire, plugin server on $server, engine on $engine',
  (pair) => {
    async function recordRun(
      pluginClass: SdkPluginClass,
      rows: number,
      updateMode: 'run' | 'full' = 'run',
    ): Promise<string[]> {
      const server = await startPluginServer(pluginClass, {
        host: '127.0.0.1',
        port: 0,
        carrier: pair.server,
      });
      cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
      const recorder = await startHttp2FrameRecorder(server.port);
      cleanups.push(() => recorder.close());
      const connection = connectToPlugin({ address: `127.0.0.1:${recorder.port}`, carrier: pair.engine });
      cleanups.push(() => connection.close());
      const table = tableFromArrays({ n: Float64Array.from({ length: rows }, (_, index) => index) });
      await runPlugin(connection, {
        updateMode,
        inputs: updateMode === 'run' ? { Input: { '#1': [table] } } : {},
        outgoingAnchors: [{ name: 'Output' }],
        maxChunkBytes: 4_096,
        timeoutMs: 60_000,
      });
      await server.whenIdle();
      return wireTimeline(recorder.events).lines;
    }

    it.each([
      ['a pass-through plugin that writes many pieces', PassThroughPlugin, 20_000],
      ['a plugin that writes nothing', RecordingPlugin, 10],
    ] as const)(
      'RecordTransfer status leaves before confirm_complete (%s)',
      async (_name, pluginClass, rows) => {
        // Several runs: the order must hold every time, not by luck of scheduling.
        for (let round = 0; round < 3; round += 1) {
          const lines = await recordRun(pluginClass, rows);
          const lastIndexOf = (line: string) => lines.lastIndexOf(line);
          const close = lastIndexOf('RecordTransfer close_outgoing_anchor');
          const recordsEnd = lastIndexOf('RecordTransfer END');
          const confirm = lastIndexOf('Control confirm_complete');
          const controlEnd = lastIndexOf('Control END');
          expect(close).toBeGreaterThanOrEqual(0);
          // close_outgoing_anchor > RecordTransfer END > confirm_complete > Control END, as the AMP SDK does.
          expect(recordsEnd).toBeGreaterThan(close);
          expect(confirm).toBeGreaterThan(recordsEnd);
          expect(controlEnd).toBeGreaterThan(confirm);
          // A status, not a reset: a RST_STREAM (NO_ERROR) may only follow the status, telling an engine that
          // has not half-closed its side to stop sending; nothing else follows on RecordTransfer.
          expect(lines.slice(0, recordsEnd)).not.toContain('RecordTransfer RST_STREAM');
          expect(lines.slice(0, controlEnd)).not.toContain('Control RST_STREAM');
          const afterStatus = lines.slice(recordsEnd + 1).filter((line) => line.startsWith('RecordTransfer'));
          expect(afterStatus.filter((line) => line !== 'RecordTransfer RST_STREAM')).toEqual([]);
        }
      },
      120_000,
    );

    it('RecordTransfer status leaves before confirm_complete in update-only mode too', async () => {
      const lines = await recordRun(RecordingPlugin, 10, 'full');
      expect(lines).not.toContain('RecordTransfer close_outgoing_anchor');
      const recordsEnd = lines.indexOf('RecordTransfer END');
      expect(recordsEnd).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf('Control confirm_complete')).toBeGreaterThan(recordsEnd);
      expect(lines.indexOf('Control END')).toBeGreaterThan(lines.indexOf('Control confirm_complete'));
    }, 60_000);
  },
);
