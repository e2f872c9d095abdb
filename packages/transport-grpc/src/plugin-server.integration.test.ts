import { ChunkerError, encodeChunks } from '@sdk/arrow-chunker';
import { type Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { Status } from 'nice-grpc-common';
import { testTlsMaterial } from './__fixtures__/call-helpers.js';
import { expectTransportError } from './__fixtures__/expect-transport-error.js';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import {
  createSourcePlugin,
  HangingPlugin,
  MetadataPlugin,
  PassThroughPlugin,
  RecordingPlugin,
  ThrowingPlugin,
} from './__fixtures__/test-plugins.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import {
  errorCodeTrailerKey,
  featureOrderedCompletion,
  featuresMetadataKey,
} from './internal/service-definition.js';
import { connectToPlugin, type PluginConnection, type PluginConnectionOptions } from './plugin-connection.js';
import type { PluginProvider } from './plugin-provider.js';
import { type PluginServer, type PluginServerOptions, startPluginServer } from './plugin-server.js';
import { runPlugin } from './run-plugin.js';
import type { SdkPluginClass } from './sdk-plugin.js';

const orderedCompletionHeader = { [featuresMetadataKey]: featureOrderedCompletion };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Every behaviour holds whichever gRPC implementation serves and calls; the hand-driven engine below
// is a grpc-js client, so with an http2 server it checks the two carriers against each other too.
const carrierPairs: ReadonlyArray<{ server: GrpcCarrier; engine: GrpcCarrier }> = [
  { server: 'http2', engine: 'http2' },
  { server: 'grpc-js', engine: 'grpc-js' },
  { server: 'http2', engine: 'grpc-js' },
  { server: 'grpc-js', engine: 'http2' },
];
let carriers = carrierPairs[0] as { server: GrpcCarrier; engine: GrpcCarrier };

async function startServer(
  pluginClass: SdkPluginClass,
  options: PluginServerOptions = {},
): Promise<PluginServer> {
  const server = await startPluginServer(pluginClass, {
    host: '127.0.0.1',
    port: 0,
    carrier: carriers.server,
    ...options,
  });
  cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
  return server;
}

function connect(port: number, options: Omit<PluginConnectionOptions, 'address'> = {}): PluginConnection {
  const connection = connectToPlugin({ address: `127.0.0.1:${port}`, carrier: carriers.engine, ...options });
  cleanups.push(() => connection.close());
  return connection;
}

async function serve(
  pluginClass: SdkPluginClass,
  options: PluginServerOptions = {},
): Promise<{ server: PluginServer; connection: PluginConnection }> {
  const server = await startServer(pluginClass, options);
  return { server, connection: connect(server.port) };
}

function numbered(start: number, rows: number): Table {
  return tableFromArrays({ n: Float64Array.from({ length: rows }, (_, index) => start + index) });
}

describe.each(carrierPairs)('plugin server on $server, engine on $engine', (pair) => {
  beforeAll(() => {
    carriers = pair;
  });

  describe('runs through a real server on 127.0.0.1', () => {
    it('reassembles interleaved connections of several anchors independently, in order, completion last', async () => {
      const { connection } = await serve(RecordingPlugin);
      const inputs = {
        Left: { '#1': [numbered(0, 3000), numbered(100, 3000)], '#2': [numbered(200, 3000)] },
        Right: { '#1': [numbered(300, 3000), numbered(400, 3000), numbered(500, 3000)] },
      };
      // Small pieces so every stream spans many messages and the connections interleave on the wire.
      const result = await runPlugin(connection, { inputs, maxChunkBytes: 997 });
      const lines = result.messages.map((message) => message.message);
      const batchLines = (prefix: string) => lines.filter((line) => line.startsWith(`batch ${prefix} `));
      expect(batchLines('Left/#1')).toEqual([
        'batch Left/#1 rows=3000 first=0',
        'batch Left/#1 rows=3000 first=100',
      ]);
      expect(batchLines('Left/#2')).toEqual(['batch Left/#2 rows=3000 first=200']);
      expect(batchLines('Right/#1').map((line) => line.split('first=')[1])).toEqual(['300', '400', '500']);
      for (const connectionName of ['Left/#1', 'Left/#2', 'Right/#1']) {
        const lastBatch = lines.lastIndexOf(batchLines(connectionName).at(-1) as string);
        expect(lines.indexOf(`complete ${connectionName}`)).toBeGreaterThan(lastBatch);
      }
      expect(lines.at(-1)).toBe('onComplete');
    });

    it('interleaves pieces of two connections message by message and still decodes each', async () => {
      const { server } = await serve(RecordingPlugin);
      const raw = openRawSession(server.port, orderedCompletionHeader);
      cleanups.push(() => raw.close());
      await raw.control.push({
        pluginInitializationData: {
          incomingAnchors: [{ name: 'Input', connections: [{ name: 'a' }, { name: 'b' }] }],
          engineConstants: testEngineConstants,
        },
      });
      const piecesA = [...encodeChunks(numbered(10, 2000), { maxChunkBytes: 500 })];
      const piecesB = [...encodeChunks(numbered(20, 2000), { maxChunkBytes: 700 })];
      for (let index = 0; index < Math.max(piecesA.length, piecesB.length); index += 1) {
        const a = piecesA[index];
        const b = piecesB[index];
        if (a)
          await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName: 'a', ...a } });
        if (b)
          await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName: 'b', ...b } });
      }
      for (const name of ['a', 'b']) {
        await raw.records.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: name } });
        await raw.control.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: name } });
      }
      await raw.control.push({ notifyComplete: {} });
      expect((await raw.controlEnd).status).toBe('ok');
      const lines = raw.controlOut.map((message) => message.outputMessage?.message);
      expect(lines).toContain('batch Input/a rows=2000 first=10');
      expect(lines).toContain('batch Input/b rows=2000 first=20');
    });

    // Many 1,000,000-byte pieces each way prove the reassembly; volume and speed are the benchmark's.
    it('streams a 24 MiB table (25 pieces each way) through a pass-through plugin intact', async () => {
      const { connection } = await serve(PassThroughPlugin);
      const rows = 1_572_864; // two float64 columns: 25,165,824 bytes
      const a = new Float64Array(rows);
      const b = new Float64Array(rows);
      for (let index = 0; index < rows; index += 1) {
        a[index] = index;
        b[index] = rows - index;
      }
      const table = tableFromArrays({ a, b });
      const result = await runPlugin(connection, {
        inputs: { Input: { '#1': [table] } },
        outgoingAnchors: [{ name: 'Output' }],
      });
      const [output] = result.outputs.get('Output') ?? [];
      expect(output?.numRows).toBe(rows);
      const outA = output?.getChild('a')?.toArray() as Float64Array;
      const outB = output?.getChild('b')?.toArray() as Float64Array;
      let mismatches = 0;
      for (let index = 0; index < rows; index += 4099) {
        if (outA[index] !== index || outB[index] !== rows - index) mismatches += 1;
      }
      expect(mismatches).toBe(0);
      expect(outA[rows - 1]).toBe(rows - 1);
      expect(result.closedAnchors).toEqual(['Output']);
    });

    // The http2 carrier writes table data without copying it, so both calls resolve only once their last
    // piece is written. A 16 MiB table spans more than every buffer between the two processes.
    it('lets the engine reuse a table once send resolves, while the plugin is still behind', async () => {
      const rows = 2 * 1024 * 1024;
      const values = Float64Array.from({ length: rows }, (_, index) => index);
      class SlowPassThrough {
        constructor(private readonly provider: PluginProvider) {}
        async onRecordBatch(table: Table): Promise<void> {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await this.provider.writeToAnchor('Output', table);
        }
      }
      const { connection } = await serve(SlowPassThrough as unknown as SdkPluginClass);
      const run = connection.startRun({
        incomingAnchors: [{ name: 'Input', connections: ['#1'] }],
        outgoingAnchors: [{ name: 'Output' }],
      });
      const outputs: Table[] = [];
      const collecting = (async () => {
        for await (const output of run.outputs) outputs.push(output.table);
      })();
      await run.send('Input', '#1', tableFromArrays({ n: values }));
      values.fill(-1);
      await run.completeConnection('Input', '#1');
      await run.complete();
      await collecting;
      await run.finished;
      const received = outputs[0]?.getChild('n')?.toArray() as Float64Array;
      expect(received.length).toBe(rows);
      let changed = 0;
      for (let index = 0; index < rows; index += 1) if (received[index] !== index) changed += 1;
      expect(changed).toBe(0);
    });

    it('lets a plugin reuse a table once writeToAnchor resolves, while the engine is still behind', async () => {
      const rows = 2 * 1024 * 1024;
      class ReusingSource {
        constructor(private readonly provider: PluginProvider) {}
        async onComplete(): Promise<void> {
          const values = Float64Array.from({ length: rows }, (_, index) => index);
          await this.provider.writeToAnchor('Output', tableFromArrays({ n: values }));
          values.fill(-1);
          await this.provider.writeToAnchor('Output', tableFromArrays({ n: values }));
        }
      }
      const { connection } = await serve(ReusingSource as unknown as SdkPluginClass);
      const run = connection.startRun({ outgoingAnchors: [{ name: 'Output' }], outputBufferBytes: 1 });
      await run.complete();
      const firsts: number[][] = [];
      for await (const output of run.outputs) {
        const received = output.table.getChild('n')?.toArray() as Float64Array;
        let changed = 0;
        for (let index = 0; index < rows; index += 1) if (received[index] !== index) changed += 1;
        firsts.push([received.length, changed]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await run.finished;
      expect(firsts[0]).toEqual([rows, 0]);
      expect(firsts[1]).toEqual([rows, rows]);
    });

    it('bounds memory with a slow engine: the plugin writes only as fast as the engine reads', async () => {
      const tableCount = 64;
      const rowsPerTable = 131_072; // 1 MiB each
      let written = 0;
      const SourcePlugin = createSourcePlugin(tableCount, rowsPerTable, () => {
        written += 1;
      });
      const { connection } = await serve(SourcePlugin, { outputBufferBytes: 2 * 1024 * 1024 });
      const run = connection.startRun({
        outgoingAnchors: [{ name: 'Output' }],
        outputBufferBytes: 2 * 1024 * 1024,
      });
      await run.complete();
      let consumed = 0;
      let largestLead = 0;
      for await (const output of run.outputs) {
        expect(output.table.numRows).toBe(rowsPerTable);
        consumed += 1;
        largestLead = Math.max(largestLead, written - consumed);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      await run.finished;
      expect(consumed).toBe(tableCount);
      // Our two 2 MiB buffers plus gRPC's per-stream read buffers (16 messages) hold about 20 MiB: a
      // bound that does not grow with the volume. Without backpressure the lead would reach all 64.
      expect(largestLead).toBeLessThanOrEqual(26);
    });

    it('bounds memory with a slow plugin: engine sends wait while decoded input is queued', async () => {
      let processed = 0;
      class SlowPlugin {
        async onRecordBatch(): Promise<void> {
          await new Promise((resolve) => setTimeout(resolve, 15));
          processed += 1;
        }
      }
      const { server, connection } = await serve(SlowPlugin, { maxQueuedBytes: 2 * 1024 * 1024 });
      const run = connection.startRun({ incomingAnchors: [{ name: 'Input', connections: ['#1'] }] });
      let largestLead = 0;
      for (let index = 0; index < 64; index += 1) {
        await run.send('Input', '#1', numbered(index, 131_072));
        largestLead = Math.max(largestLead, index + 1 - processed);
      }
      await run.complete();
      await run.finished;
      expect(processed).toBe(64);
      expect(largestLead).toBeLessThanOrEqual(26);
      expect(server.queuedBytesHighWater).toBeLessThanOrEqual(2 * 1024 * 1024 + 1024 * 1024 + 4096);
    });

    it('turns a throwing callback into TRANSPORT_PLUGIN_FAILED with the message, and the stack in debug', async () => {
      const { connection } = await serve(ThrowingPlugin, { debug: true });
      const run = connection.startRun({ incomingAnchors: [{ name: 'Input', connections: ['#1'] }] });
      const sending = run.send('Input', '#1', numbered(0, 10)).then(() => run.complete());
      const error = await expectTransportError(run.finished, 'TRANSPORT_PLUGIN_FAILED');
      await sending.catch(() => undefined);
      expect(error.message).toContain('plugin exploded on purpose');
      expect(error.remoteStack).toContain('RangeError');
    });

    it('keeps the plugin stack private outside debug mode', async () => {
      const { connection } = await serve(ThrowingPlugin, { debug: false });
      const error = await expectTransportError(
        runPlugin(connection, { inputs: { Input: { '#1': [numbered(0, 10)] } } }),
        'TRANSPORT_PLUGIN_FAILED',
      );
      expect(error.remoteStack).toBeUndefined();
    });

    it('propagates engine cancellation to the plugin through provider.signal', async () => {
      let pluginSignal: AbortSignal | undefined;
      let batchStarted: () => void = () => undefined;
      const hanging = new Promise<void>((resolve) => {
        batchStarted = resolve;
      });
      class Observed extends HangingPlugin {
        constructor(provider: ConstructorParameters<typeof HangingPlugin>[0]) {
          super(provider);
          pluginSignal = provider.signal;
        }
        override onRecordBatch(): Promise<void> {
          batchStarted();
          return super.onRecordBatch();
        }
      }
      const { server, connection } = await serve(Observed);
      const controller = new AbortController();
      const run = connection.startRun({
        incomingAnchors: [{ name: 'Input', connections: ['#1'] }],
        signal: controller.signal,
      });
      await run.send('Input', '#1', numbered(0, 10));
      // Cancel while the plugin's callback runs, however long the machine takes to get there.
      await hanging;
      controller.abort();
      await expectTransportError(run.finished, 'TRANSPORT_CANCELLED');
      await server.whenIdle();
      expect(pluginSignal?.aborted).toBe(true);
    });

    it('rejects the engine run (instead of hanging) when the plugin server goes away mid-run', async () => {
      const { server, connection } = await serve(HangingPlugin);
      const run = connection.startRun({ incomingAnchors: [{ name: 'Input', connections: ['#1'] }] });
      await run.send('Input', '#1', numbered(0, 10));
      server.forceShutdown();
      await expectTransportError(run.finished, 'TRANSPORT_CONNECTION');
    });

    it('fails a run past its deadline with TRANSPORT_TIMEOUT', async () => {
      const { connection } = await serve(HangingPlugin);
      const run = connection.startRun({
        incomingAnchors: [{ name: 'Input', connections: ['#1'] }],
        timeoutMs: 200,
      });
      await run.send('Input', '#1', numbered(0, 10));
      await expectTransportError(run.finished, 'TRANSPORT_TIMEOUT');
    });

    it('rejects calls without the right token as unauthenticated', async () => {
      const { server } = await serve(PassThroughPlugin, { authToken: 'right-token' });
      for (const token of [undefined, 'wrong-token']) {
        await expectTransportError(
          runPlugin(connect(server.port, { authToken: token })),
          'TRANSPORT_UNAUTHENTICATED',
        );
      }
      const authorised = connect(server.port, { authToken: 'right-token' });
      const result = await runPlugin(authorised, { outgoingAnchors: [{ name: 'Output' }] });
      expect(result.closedAnchors).toEqual(['Output']);
    });

    it('serves TLS when given a certificate, and the engine connects with the matching root', async () => {
      const { certChain, privateKey } = testTlsMaterial();
      const server = await startServer(PassThroughPlugin, {
        tls: { certChain, privateKey },
      });
      const secure = connect(server.port, { tls: { rootCerts: certChain } });
      const result = await runPlugin(secure, {
        inputs: { Input: { '#1': [numbered(0, 100)] } },
        outgoingAnchors: [{ name: 'Output' }],
      });
      expect(result.outputs.get('Output')?.[0]?.numRows).toBe(100);
      await expectTransportError(runPlugin(connect(server.port)), 'TRANSPORT_CONNECTION');
    });

    it('refuses to bind a non-loopback interface without a token', async () => {
      await expectTransportError(
        startPluginServer(PassThroughPlugin, { host: '0.0.0.0', carrier: carriers.server }),
        'TRANSPORT_CONFIG',
      );
    });

    it('runs update-only mode: constructor metadata, no close messages, confirmed', async () => {
      const { connection } = await serve(MetadataPlugin);
      const result = await runPlugin(connection, {
        updateMode: 'full',
        outgoingAnchors: [{ name: 'Output' }],
      });
      expect(result.outgoingSchemas.get('Output')?.fields.map((field) => field.name)).toEqual(['id']);
      expect(result.closedAnchors).toEqual([]);
      expect(result.messages.map((message) => message.message)).toEqual([
        'Plugin class successfully loaded.',
      ]);
      // The plugin confirms without waiting for input: completing afterwards is harmless, not an error.
      const run = connection.startRun({
        updateMode: 'quick',
        incomingAnchors: [{ name: 'Input' }],
        outgoingAnchors: [{ name: 'Output' }],
      });
      await run.finished;
      await expect(run.complete()).resolves.toBeUndefined();
    });

    /** Decrypts a secret and learns its columns in onInit, which the constructor could not await. */
    const initSteps: string[] = [];
    class AsyncInitPlugin {
      constructor(private readonly provider: PluginProvider) {
        initSteps.push('constructor');
      }

      async onInit(): Promise<void> {
        const secret = await this.provider.io.decryptPassword('encrypted-columns');
        initSteps.push(`onInit decrypted ${secret}`);
        const columns = Object.fromEntries(secret.split(',').map((name) => [name, new Int32Array(0)]));
        this.provider.pushOutgoingMetadata('Output', tableFromArrays(columns).schema);
      }

      onRecordBatch(table: Table): void {
        initSteps.push(`onRecordBatch ${table.numRows}`);
      }

      onComplete(): void {
        initSteps.push('onComplete');
      }
    }

    it('awaits onInit in update-only mode: metadata found asynchronously is pushed before the confirmation', async () => {
      initSteps.length = 0;
      const { connection } = await serve(AsyncInitPlugin as unknown as SdkPluginClass);
      const result = await runPlugin(connection, {
        updateMode: 'quick',
        outgoingAnchors: [{ name: 'Output' }],
        decryptPassword: (encrypted) => (encrypted === 'encrypted-columns' ? 'id,amount' : 'wrong'),
      });
      expect(result.outgoingSchemas.get('Output')?.fields.map((field) => field.name)).toEqual([
        'id',
        'amount',
      ]);
      expect(initSteps).toEqual(['constructor', 'onInit decrypted id,amount']);
    });

    it('runs onInit before any record or completion reaches the plugin', async () => {
      initSteps.length = 0;
      const { connection } = await serve(AsyncInitPlugin as unknown as SdkPluginClass);
      await runPlugin(connection, {
        inputs: { Input: { '#1': [numbered(0, 10)] } },
        outgoingAnchors: [{ name: 'Output' }],
        decryptPassword: async (encrypted) => {
          // Answered late: records and the completion have long been sent by then.
          await new Promise((resolve) => setTimeout(resolve, 200));
          return encrypted === 'encrypted-columns' ? 'id' : 'wrong';
        },
      });
      expect(initSteps).toEqual(['constructor', 'onInit decrypted id', 'onRecordBatch 10', 'onComplete']);
    });

    it('ends the run with TRANSPORT_PLUGIN_FAILED naming onInit when it throws', async () => {
      class FailingInit {
        async onInit(): Promise<void> {
          throw new Error('no schema today');
        }
      }
      const { connection } = await serve(FailingInit as unknown as SdkPluginClass);
      const failure = await expectTransportError(
        runPlugin(connection, { updateMode: 'full', outgoingAnchors: [{ name: 'Output' }] }),
        'TRANSPORT_PLUGIN_FAILED',
      );
      expect(failure.message).toMatch(/onInit.*no schema today/);
    });

    it('answers translate requests by msg_id, as a Promise and as a callback', async () => {
      const { connection } = await serve(MetadataPlugin);
      const result = await runPlugin(connection, {
        outgoingAnchors: [{ name: 'Output' }],
        translate: (text, values) => `${text.replace('%1', values[0] ?? '').replace('%2', values[1] ?? '')}!`,
      });
      expect(result.messages).toEqual(
        expect.arrayContaining([
          { kind: 'info', message: 'Hello Ada and 42!', priority: 0 },
          { kind: 'warning', message: 'Bye Ada!', priority: 0 },
        ]),
      );
    });
  });

  describe('wire behaviour seen by a hand-driven engine', () => {
    async function rawPassThrough(options: PluginServerOptions = {}) {
      const { server } = await serve(PassThroughPlugin, options);
      const raw = openRawSession(server.port, orderedCompletionHeader);
      cleanups.push(() => raw.close());
      await raw.control.push({
        pluginInitializationData: {
          incomingAnchors: [{ name: 'Input', connections: [{ name: '#1' }] }],
          outgoingAnchors: [{ name: 'Output', numConnections: 1 }],
          engineConstants: testEngineConstants,
        },
      });
      return raw;
    }

    it('sends each write as pieces of at most 1,000,000 bytes, end_of_chunk only on the last, then the exact completion order', async () => {
      const raw = await rawPassThrough();
      const table = tableFromArrays({ a: new Float64Array(400_000).fill(1.5) }); // ~3.2 MB
      for (const chunk of encodeChunks(table, { maxChunkBytes: 1_000_000 })) {
        await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName: '#1', ...chunk } });
      }
      await raw.records.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
      await raw.control.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
      await raw.control.push({ notifyComplete: {} });
      const [controlEnd, recordsEnd] = await Promise.all([raw.controlEnd, raw.recordsEnd]);
      expect(controlEnd.status).toBe('ok');
      expect(recordsEnd.status).toBe('ok');
      const pieces = raw.recordsOut.filter((message) => message.payload === 'outgoingRecords');
      const sizes = pieces.map((message) => message.outgoingRecords?.data?.byteLength ?? 0);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000_000);
      expect(sizes.every((size) => size > 0)).toBe(true);
      expect(pieces.map((message) => message.outgoingRecords?.endOfChunk)).toEqual([
        ...new Array(pieces.length - 1).fill(false),
        true,
      ]);
      expect(pieces.every((message) => message.outgoingRecords?.connectionName === '')).toBe(true);
      const joined = Buffer.concat(pieces.map((message) => message.outgoingRecords?.data as Uint8Array));
      expect(joined.equals(Buffer.from(tableToIPC(table, 'stream')))).toBe(true);
      // Per stream: every piece, then the close, then the end; Control confirms last. (The order across
      // the two streams is pinned by the session unit test: each stream is read at its own pace here.)
      const records = raw.timeline.filter((event) => event.startsWith('records:'));
      expect(records.slice(-2)).toEqual(['records:close(Output)', 'records:end']);
      const control = raw.timeline.filter((event) => event.startsWith('control:'));
      expect(control.slice(-2)).toEqual(['control:confirmComplete', 'control:end']);
    });

    it.each([
      [
        'garbage bytes',
        [{ data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), endOfChunk: true }],
        'TRANSPORT_INVALID_RECORDS',
      ],
      [
        'a stream cut short at end_of_chunk',
        [{ data: tableToIPC(numbered(0, 1000), 'stream').subarray(0, 300), endOfChunk: true }],
        'TRANSPORT_INVALID_RECORDS',
      ],
    ])('rejects %s with a typed error naming the connection', async (_name, pieces, code) => {
      const raw = await rawPassThrough();
      for (const piece of pieces) {
        await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName: '#1', ...piece } });
      }
      const [controlEnd, recordsEnd] = await Promise.all([raw.controlEnd, raw.recordsEnd]);
      expect(recordsEnd.code).toBe(Status.INVALID_ARGUMENT);
      expect(recordsEnd.trailer?.get(errorCodeTrailerKey)).toBe(code);
      expect(recordsEnd.details).toContain("connection '#1'");
      expect(controlEnd.status).toBe('error');
    });

    it('rejects a connection completed in the middle of a stream', async () => {
      const raw = await rawPassThrough();
      const half = tableToIPC(numbered(0, 1000), 'stream').subarray(0, 300);
      await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName: '#1', data: half } });
      await raw.records.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
      await raw.control.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
      const controlEnd = await raw.controlEnd;
      expect(controlEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_INVALID_RECORDS');
    });

    it('stops an endless stream without end_of_chunk at maxStreamBytes', async () => {
      const raw = await rawPassThrough({ maxStreamBytes: 64 * 1024 });
      const piece = new Uint8Array(16 * 1024);
      for (let index = 0; index < 8; index += 1) {
        await raw.records.push({
          incomingRecords: { anchorName: 'Input', connectionName: '#1', data: piece },
        });
      }
      const recordsEnd = await raw.recordsEnd;
      expect(recordsEnd.code).toBe(Status.RESOURCE_EXHAUSTED);
      expect(recordsEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_LIMIT_EXCEEDED');
      expect(recordsEnd.details).toContain("anchor 'Input'");
    });

    it('rejects records for an unknown anchor', async () => {
      const raw = await rawPassThrough();
      const [chunk] = [...encodeChunks(numbered(0, 10))];
      await raw.records.push({ incomingRecords: { anchorName: 'Nope', connectionName: '#1', ...chunk } });
      const recordsEnd = await raw.recordsEnd;
      expect(recordsEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_UNKNOWN_ANCHOR');
      expect(recordsEnd.details).toContain("'Nope'");
    });

    it('rejects a response with an unknown msg_id', async () => {
      const raw = await rawPassThrough();
      await raw.control.push({ translatedMessage: { translatedMessage: 'x' }, msgId: 'no-such-request' });
      const controlEnd = await raw.controlEnd;
      expect(controlEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_UNKNOWN_MSG_ID');
    });

    it('rejects messages before plugin_initialization_data', async () => {
      const { server } = await serve(PassThroughPlugin);
      const raw = openRawSession(server.port);
      cleanups.push(() => raw.close());
      await raw.control.push({ notifyComplete: {} });
      const controlEnd = await raw.controlEnd;
      // The whole end in the comparison, so that a failure shows which status came instead.
      expect({ ...controlEnd, trailerCode: controlEnd.trailer?.get(errorCodeTrailerKey) }).toMatchObject({
        status: 'error',
        code: Status.INVALID_ARGUMENT,
        trailerCode: 'TRANSPORT_PROTOCOL',
      });
    });

    it('refuses the engine-side send to an undeclared anchor before anything is sent', async () => {
      const { connection } = await serve(PassThroughPlugin);
      const run = connection.startRun({ incomingAnchors: [{ name: 'Input' }] });
      await expectTransportError(run.send('Other', '#1', numbered(0, 1)), 'TRANSPORT_UNKNOWN_ANCHOR');
      await run.complete();
      await run.finished;
    });
  });

  describe('runPlugin when sending the input fails', () => {
    // Without failing fast these runs would wait for input forever (no timeoutMs), so a short test
    // timeout is what fails them.
    const failFastTimeoutMs = 10_000;

    it(
      'cancels the run at once and rejects with the send error for a table the encoder refuses',
      async () => {
        const { connection } = await serve(PassThroughPlugin);
        // Carries apache-arrow's cross-copy Table marker, so it passes `instanceof Table` but is no Table of ours.
        const foreignTable = { [Symbol.for('apache-arrow/Table')]: true, batches: [] } as unknown as Table;
        const error = await expectTransportError(
          runPlugin(connection, {
            inputs: { Input: { '#1': [numbered(0, 10), foreignTable] } },
            outgoingAnchors: [{ name: 'Output' }],
          }),
          'TRANSPORT_CONFIG',
        );
        expect(ChunkerError.isInstance(error.cause)).toBe(true);
        expect((error.cause as ChunkerError).code).toBe('CHUNKER_INVALID_SOURCE');
      },
      failFastTimeoutMs,
    );

    it(
      'cancels the run at once when an input iterable throws, keeping its error as the cause',
      async () => {
        const { connection } = await serve(PassThroughPlugin);
        const inputFailure = new Error('the input source broke');
        async function* failingInput(): AsyncGenerator<Table> {
          yield numbered(0, 10);
          throw inputFailure;
        }
        const error = await expectTransportError(
          runPlugin(connection, {
            inputs: { Input: { '#1': failingInput() } },
            outgoingAnchors: [{ name: 'Output' }],
          }),
          'TRANSPORT_CANCELLED',
        );
        expect(error.cause).toBe(inputFailure);
      },
      failFastTimeoutMs,
    );
  });
});
