import { encodeChunks } from '@sdk/arrow-chunker';
import { type Table, tableFromArrays } from 'apache-arrow';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import { RecordingPlugin } from './__fixtures__/test-plugins.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import type { ControlInMessage, RecordTransferInMessage } from './internal/service-definition.js';
import {
  errorCodeTrailerKey,
  featureOrderedCompletion,
  featuresMetadataKey,
} from './internal/service-definition.js';
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

type Step =
  | { readonly on: 'records'; readonly message: RecordTransferInMessage }
  | { readonly on: 'control'; readonly message: ControlInMessage }
  | { readonly on: 'close-records' };

function numbered(start: number, rows: number): Table {
  return tableFromArrays({ n: Float64Array.from({ length: rows }, (_, index) => start + index) });
}

/** Each connection's table as records steps, in pieces of a few hundred bytes. */
function pieces(connectionName: string, table: Table): Step[] {
  return [...encodeChunks(table, { maxChunkBytes: 600 })].map((chunk) => ({
    on: 'records' as const,
    message: { incomingRecords: { anchorName: 'Input', connectionName, ...chunk } },
  }));
}

const data = { a: pieces('a', numbered(100, 1500)), b: pieces('b', numbered(200, 1500)) };
const controlComplete = (connectionName: string): Step => ({
  on: 'control',
  message: { incomingConnectionComplete: { anchorName: 'Input', connectionName } },
});
const recordsComplete = (connectionName: string): Step => ({
  on: 'records',
  message: { incomingConnectionComplete: { anchorName: 'Input', connectionName } },
});
const notify: Step = { on: 'control', message: { notifyComplete: {} } };
const closeRecords: Step = { on: 'close-records' };

/**
 * What each permutation may end with: `ok` (every batch delivered, each connection's completion once
 * and after its batches, onComplete last) or a failure with one of the typed codes listed.
 */
interface Permutation {
  readonly name: string;
  readonly steps: readonly Step[];
  readonly accepts: ReadonlyArray<'ok' | string>;
}

/** Permutations for an AMP engine: completion travels on Control only. */
const ampPermutations: readonly Permutation[] = [
  {
    name: 'each completion after its last piece',
    steps: [...data.a, controlComplete('a'), ...data.b, controlComplete('b'), notify],
    accepts: ['ok'],
  },
  {
    name: 'completions interleaved with the other connection’s pieces',
    steps: [
      ...data.a.slice(0, 3),
      ...data.b,
      controlComplete('b'),
      ...data.a.slice(3),
      controlComplete('a'),
      notify,
    ],
    accepts: ['ok'],
  },
  {
    // Sent after the completion on the other stream: a typed refusal, or (if the plugin read the piece
    // first) a correct run; never a hang.
    name: 'a completion before its last piece',
    steps: [
      ...data.a.slice(0, -1),
      controlComplete('a'),
      ...data.a.slice(-1),
      ...data.b,
      controlComplete('b'),
      notify,
    ],
    accepts: ['ok', 'TRANSPORT_PROTOCOL', 'TRANSPORT_INVALID_RECORDS'],
  },
  {
    name: 'no completion at all',
    steps: [...data.a, ...data.b, notify],
    accepts: ['ok'],
  },
  {
    name: 'one completion missing',
    steps: [...data.a, controlComplete('a'), ...data.b, notify],
    accepts: ['ok'],
  },
  {
    name: 'duplicate completions and a duplicate notify_complete',
    steps: [
      ...data.a,
      controlComplete('a'),
      controlComplete('a'),
      ...data.b,
      controlComplete('b'),
      notify,
      controlComplete('b'),
      notify,
    ],
    accepts: ['ok'],
  },
  {
    name: 'notify_complete before the completions',
    steps: [...data.a, ...data.b, notify, controlComplete('a'), controlComplete('b')],
    accepts: ['ok'],
  },
  {
    name: 'notify_complete while a stream is half sent',
    steps: [...data.a, ...data.b.slice(0, 2), notify],
    accepts: ['TRANSPORT_INVALID_RECORDS'],
  },
];

/** Permutations for an engine with the ordered-completion extension (markers on RecordTransfer too). */
const orderedPermutations: readonly Permutation[] = [
  {
    name: 'markers and Control completions in order',
    steps: [
      ...data.a,
      recordsComplete('a'),
      controlComplete('a'),
      ...data.b,
      recordsComplete('b'),
      controlComplete('b'),
      closeRecords,
      notify,
    ],
    accepts: ['ok'],
  },
  {
    name: 'Control completion before the data and its marker',
    steps: [
      controlComplete('a'),
      ...data.a,
      recordsComplete('a'),
      ...data.b,
      recordsComplete('b'),
      controlComplete('b'),
      notify,
    ],
    accepts: ['ok'],
  },
  {
    name: 'markers only, RecordTransfer half-closed before notify_complete',
    steps: [...data.a, recordsComplete('a'), ...data.b, recordsComplete('b'), closeRecords, notify],
    accepts: ['ok'],
  },
  {
    name: 'no completion at all, RecordTransfer half-closed before notify_complete',
    steps: [...data.a, ...data.b, closeRecords, notify],
    accepts: ['ok'],
  },
  {
    name: 'notify_complete first, then the data, markers and a duplicate marker',
    steps: [notify, ...data.a, recordsComplete('a'), recordsComplete('a'), ...data.b, recordsComplete('b')],
    accepts: ['ok'],
  },
];

function expectCorrectRun(lines: readonly string[]): void {
  for (const connection of ['a', 'b']) {
    const batch = `batch Input/${connection} rows=1500 first=${connection === 'a' ? 100 : 200}`;
    const complete = `complete Input/${connection}`;
    expect(lines.filter((line) => line === batch)).toHaveLength(1);
    expect(lines.filter((line) => line === complete)).toHaveLength(1);
    expect(lines.indexOf(complete)).toBeGreaterThan(lines.indexOf(batch));
  }
  expect(lines.filter((line) => line === 'onComplete')).toHaveLength(1);
  expect(lines.at(-1)).toBe('onComplete');
}

/** Fails the test instead of hanging when a run does not end; generous, and not a speed goal. */
function withinBound<T>(end: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within 30 s`)), 30_000);
  });
  return Promise.race([end, bound]).finally(() => clearTimeout(timer));
}

describe.each(carrierPairs)(
  'completion messages in any order, plugin server on $server, engine on $engine',
  (pair) => {
    async function drive(permutation: Permutation, ordered: boolean): Promise<void> {
      const server = await startPluginServer(RecordingPlugin, {
        host: '127.0.0.1',
        port: 0,
        carrier: pair.server,
      });
      cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
      const headers: Record<string, string> = ordered
        ? { [featuresMetadataKey]: featureOrderedCompletion }
        : {};
      const raw = openRawSession(server.port, headers, pair.engine);
      cleanups.push(() => raw.close());
      await raw.control.push({
        pluginInitializationData: {
          incomingAnchors: [{ name: 'Input', connections: [{ name: 'a' }, { name: 'b' }] }],
          engineConstants: testEngineConstants,
        },
      });
      // As a careful AMP engine: a Control message goes only once the records before it are written
      // (the carrier's write callback), so that "after the last piece" means after it on the wire too.
      // A plugin that already failed stops reading: later pushes may be refused, which is fine here.
      let recordsWritten: Array<Promise<void>> = [];
      for (const step of permutation.steps) {
        if (step.on === 'close-records') raw.records.close();
        else if (step.on === 'records') {
          let onWritten: () => void = () => undefined;
          recordsWritten.push(new Promise<void>((resolve) => (onWritten = resolve)));
          await raw.records.push({ ...step.message, onWritten }).catch(() => onWritten());
        } else {
          await withinBound(Promise.all(recordsWritten), 'writing records');
          recordsWritten = [];
          await new Promise((resolve) => setImmediate(resolve));
          await raw.control.push(step.message).catch(() => undefined);
        }
      }
      // grpc-js's client passes each message through asynchronous filters before HTTP/2, so its write
      // callback does not order two calls' messages on the wire: without the ordered-completion marker a
      // Control message can overtake records written before it (the AMP race the extension exists for),
      // and the plugin then refuses with a typed error instead of completing a half-received stream.
      const accepts =
        pair.engine === 'grpc-js' && !ordered
          ? [...permutation.accepts, 'TRANSPORT_INVALID_RECORDS', 'TRANSPORT_PROTOCOL']
          : permutation.accepts;
      const controlEnd = await withinBound(raw.controlEnd, 'Control');
      const lines = raw.controlOut.map((message) => message.outputMessage?.message ?? '');
      if (controlEnd.status === 'ok') {
        expect(accepts).toContain('ok');
        expect(raw.controlOut.at(-1)?.confirmComplete).toBeDefined();
        expectCorrectRun(lines.filter((line) => line !== '' && line !== 'Plugin class successfully loaded.'));
        expect((await withinBound(raw.recordsEnd, 'RecordTransfer')).status).toBe('ok');
      } else {
        const code = controlEnd.trailer?.get(errorCodeTrailerKey);
        expect(accepts).toContain(code);
        expect(controlEnd.details).toMatch(/^\[TRANSPORT_[A-Z_]+\] /);
        expect((await withinBound(raw.recordsEnd, 'RecordTransfer')).status).toBe('error');
      }
      raw.close();
    }

    it.each(ampPermutations.map((permutation) => [permutation.name, permutation] as const))(
      'AMP engine (completion on Control only): %s',
      async (_name, permutation) => {
        await drive(permutation, false);
      },
      60_000,
    );

    it.each(orderedPermutations.map((permutation) => [permutation.name, permutation] as const))(
      'engine with ordered completion: %s',
      async (_name, permutation) => {
        await drive(permutation, true);
      },
      60_000,
    );
  },
);
