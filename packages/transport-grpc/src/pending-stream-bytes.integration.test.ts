import { type Table, tableFromArrays } from 'apache-arrow';
import { Status } from 'nice-grpc-common';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import { PassThroughPlugin } from './__fixtures__/test-plugins.js';
import { TransportError } from './errors/transport-error.js';
import {
  errorAnchorTrailerKey,
  errorCodeTrailerKey,
  errorConnectionTrailerKey,
  featureOrderedCompletion,
  featuresMetadataKey,
} from './internal/service-definition.js';
import { connectToPlugin } from './plugin-connection.js';
import type { PluginProvider } from './plugin-provider.js';
import { type PluginServerOptions, startPluginServer } from './plugin-server.js';
import { runPlugin } from './run-plugin.js';
import type { SdkPluginClass } from './sdk-plugin.js';

const kib = 1024;
const mib = 1024 * 1024;
const connectionNames = ['#1', '#2', '#3', '#4', '#5', '#6', '#7', '#8'];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(pluginClass: SdkPluginClass, options: PluginServerOptions = {}) {
  const server = await startPluginServer(pluginClass, { host: '127.0.0.1', port: 0, ...options });
  cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
  const connection = connectToPlugin({ address: `127.0.0.1:${server.port}` });
  cleanups.push(() => connection.close());
  return { server, connection };
}

/** About `bytes` of Arrow data in one Float64 column, values starting at `start`. */
function tableOfBytes(bytes: number, start: number): Table {
  return tableFromArrays({ n: Float64Array.from({ length: bytes / 8 }, (_, index) => start + index) });
}

async function expectLimitError(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as TransportError).code).toBe('TRANSPORT_LIMIT_EXCEEDED');
    return error as TransportError;
  }
  throw new Error('expected TRANSPORT_LIMIT_EXCEEDED');
}

describe('incomplete input streams across connections (plugin side, maxPendingStreamBytes)', () => {
  it('stops many connections that each stay under maxStreamBytes, naming the one that crossed the sum', async () => {
    const { server } = await serve(PassThroughPlugin, {
      maxStreamBytes: 256 * kib,
      maxPendingStreamBytes: mib,
    });
    const raw = openRawSession(server.port, { [featuresMetadataKey]: featureOrderedCompletion });
    cleanups.push(() => raw.close());
    await raw.control.push({
      pluginInitializationData: {
        incomingAnchors: [{ name: 'Input', connections: connectionNames.map((name) => ({ name })) }],
        outgoingAnchors: [{ name: 'Output', numConnections: 1 }],
        engineConstants: testEngineConstants,
      },
    });
    // 200 KiB of a never-finished stream per connection: each one is legal on its own, 8 of them are
    // 1.6 MiB. Five fit in 1 MiB; the sixth crosses it.
    const piece = new Uint8Array(200 * kib);
    for (const connectionName of connectionNames) {
      await raw.records.push({ incomingRecords: { anchorName: 'Input', connectionName, data: piece } });
    }
    const recordsEnd = await raw.recordsEnd;
    expect(recordsEnd.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(recordsEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_LIMIT_EXCEEDED');
    expect(recordsEnd.trailer?.get(errorAnchorTrailerKey)).toBe('Input');
    expect(decodeURIComponent(recordsEnd.trailer?.get(errorConnectionTrailerKey) ?? '')).toBe('#6');
    expect(recordsEnd.details).toContain('maxPendingStreamBytes');
    expect(server.pendingStreamBytesHighWater).toBe(5 * 200 * kib);
    expect(server.pendingStreamBytesHighWater).toBeLessThanOrEqual(mib);
  });

  it('reaches the engine API as a typed error naming the anchor and connection', async () => {
    const { connection } = await serve(PassThroughPlugin, {
      maxStreamBytes: 512 * kib,
      maxPendingStreamBytes: mib,
    });
    // Eight connections sent at once interleave their pieces: 8 x 400 KiB of streams are in progress
    // together at the plugin, which no single connection's limit sees.
    const inputs = Object.fromEntries(
      connectionNames.map((name, index) => [name, [tableOfBytes(400 * kib, index)]]),
    );
    const error = await expectLimitError(
      runPlugin(connection, {
        inputs: { Input: inputs },
        outgoingAnchors: [{ name: 'Output' }],
        maxChunkBytes: 16 * kib,
      }),
    );
    expect(error.anchorName).toBe('Input');
    expect(connectionNames).toContain(error.connectionName);
  });

  it('is not hit by normal use at the default: eight interleaved connections of 4 MB each', async () => {
    const { server, connection } = await serve(PassThroughPlugin);
    const inputs = Object.fromEntries(
      connectionNames.map((name, index) => [name, [tableOfBytes(4 * mib, index * 1_000_000)]]),
    );
    const result = await runPlugin(connection, {
      inputs: { Input: inputs },
      outgoingAnchors: [{ name: 'Output' }],
      maxChunkBytes: 64 * kib,
    });
    const firstValues = (result.outputs.get('Output') ?? [])
      .map((table) => table.getChild('n')?.get(0))
      .sort();
    expect(firstValues).toEqual(connectionNames.map((_, index) => index * 1_000_000).sort());
    // Interleaving really held several streams at once, and the accounting went back to zero in between.
    expect(server.pendingStreamBytesHighWater).toBeGreaterThan(4 * mib);
    expect(server.pendingStreamBytesHighWater).toBeLessThan(1024 * mib);
  });
});

/** Writes one table to each of `anchors` at the same time, so their streams interleave on the wire. */
function fanOutPlugin(anchors: readonly string[], bytes: number): SdkPluginClass {
  return class FanOutPlugin {
    constructor(private readonly provider: PluginProvider) {}

    async onComplete(): Promise<void> {
      await Promise.all(
        anchors.map((anchorName, index) =>
          this.provider.writeToAnchor(anchorName, tableOfBytes(bytes, index)),
        ),
      );
    }
  };
}

describe('incomplete output streams across anchors (engine side, maxPendingStreamBytes)', () => {
  const anchors = ['A', 'B', 'C', 'D', 'E', 'F'];

  it('fails the run with a typed error naming the outgoing anchor, holding no more than the limit', async () => {
    const { connection } = await serve(fanOutPlugin(anchors, 400 * kib), { maxOutputChunkBytes: 16 * kib });
    const run = connection.startRun({
      outgoingAnchors: anchors.map((name) => ({ name })),
      maxStreamBytes: 512 * kib,
      maxPendingStreamBytes: mib,
    });
    const reading = (async () => {
      for await (const _output of run.outputs) {
        // drain
      }
    })();
    void run.complete().catch(() => undefined);
    const error = await expectLimitError(run.finished);
    await reading.catch(() => undefined);
    expect(anchors).toContain(error.anchorName);
    expect(error.message).toContain('maxPendingStreamBytes');
    expect(run.pendingStreamBytesHighWater).toBeLessThanOrEqual(mib);
    expect(run.pendingStreamBytesHighWater).toBeGreaterThan(512 * kib);
  });

  it('is not hit at the default by several anchors written at once', async () => {
    const { connection } = await serve(fanOutPlugin(anchors, 2 * mib), { maxOutputChunkBytes: 64 * kib });
    const result = await runPlugin(connection, { outgoingAnchors: anchors.map((name) => ({ name })) });
    expect([...result.outputs.keys()].sort()).toEqual(anchors);
    for (const [anchorName, tables] of result.outputs) {
      expect(tables.map((table) => table.numRows)).toEqual([(2 * mib) / 8]);
      expect(tables[0]?.getChild('n')?.get(0)).toBe(anchors.indexOf(anchorName));
    }
  });
});
