import { FixedStream, ListSource, PagedStream } from '../__fixtures__/sample-streams';
import { CatalogError } from '../errors/catalog-error';
import { StateParseError } from '../errors/state-parse-error';
import { SyncFailedError } from '../errors/sync-failed-error';
import { TracedError } from '../errors/traced-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { logMessage } from '../protocol/message-factories';
import type { ReadRecordsArgs, RecordSource } from '../stream/stream';
import { Stream } from '../stream/stream';
import { streamMessage } from '../stream/stream-message';
import { configuredCatalog } from '../testing/configured-catalog';
import { expectMessageSequence } from '../testing/message-sequence';
import { assertValidMessages } from '../testing/protocol-validation';
import { type ReadSourceArgs, type ReadSourceResult, readSource } from '../testing/read-source';

const T = '{"__ab_full_refresh_sync_complete":true}';
const NC = '{"__ab_no_cursor_state_message":true}';

async function read(args: ReadSourceArgs<JsonObject>): Promise<ReadSourceResult> {
  const result = await readSource(args);
  assertValidMessages(result.messages);
  return result;
}

/** Legacy incremental stream: no state accessor, `getUpdatedState` returns a fixed value or the max. */
class LegacyIncrementalStream extends Stream {
  constructor(
    readonly name: string,
    private readonly slicesList: JsonObject[][],
    private readonly interval?: number,
  ) {
    super();
  }
  override get cursorField(): string[] {
    return ['cursor'];
  }
  override get stateCheckpointInterval(): number | undefined {
    return this.interval;
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  override streamSlices() {
    return this.slicesList.map((_records, index) => ({ index }));
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    for (const item of this.slicesList[args.streamSlice.index as number] ?? []) {
      yield item.log ? streamMessage(logMessage('INFO', String(item.log))) : item;
    }
  }
  override getUpdatedState(current: JsonObject, latest: JsonObject): JsonObject {
    const previous = typeof current.cursor === 'number' ? current.cursor : 0;
    return { cursor: Math.max(previous, latest.cursor as number) };
  }
}

/** Incremental stream that owns its state (CheckpointMixin) and advances it inside readRecords. */
class CreatedAtStream extends Stream {
  readonly name = 'created';
  private value: JsonObject = {};
  get state(): JsonObject {
    return this.value;
  }
  set state(next: JsonObject) {
    this.value = next;
  }
  override get cursorField(): string[] {
    return ['created_at'];
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  override streamSlices() {
    return [{ part: 1 }, { part: 2 }];
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    const batches: Record<number, number[]> = { 1: [1708899000, 1708898000], 2: [1708899427, 1708899100] };
    for (const createdAt of batches[args.streamSlice.part as number] ?? []) {
      const current = typeof this.value.created_at === 'number' ? this.value.created_at : 0;
      // Mutating in place on purpose: emitted states must be snapshots.
      this.value.created_at = Math.max(current, createdAt);
      yield { id: createdAt, created_at: createdAt };
    }
  }
}

describe('full refresh reads', () => {
  it('no slices: ST RU R R S(NC) CO for each stream, read with {} slice and {} state', async () => {
    const s1 = new FixedStream('s1', () => [{ k1: 'v1' }, { k2: 'v2' }]);
    const s2 = new FixedStream('s2', () => [{ k1: 'v1' }, { k2: 'v2' }]);
    const result = await read({
      source: new ListSource([s1, s2]),
      config: {},
      catalog: configuredCatalog([s1, s2]),
    });
    expect(result.error).toBeUndefined();
    expectMessageSequence(result.messages, `ST RU R({"k1":"v1"}) R({"k2":"v2"}) S(${NC}) CO`, {
      stream: 's1',
    });
    expectMessageSequence(result.messages, `ST RU R R S(${NC}) CO`, { stream: 's2' });
    expect(s1.calls.map((call) => [call.streamSlice, call.streamState])).toEqual([[{}, {}]]);
    expect(result.stateMessages('s1')[0]?.state.sourceStats).toEqual({ recordCount: 2 });
  });

  it('with slices: no state per slice, one final S(NC)', async () => {
    const s1 = new FixedStream('s1', (slice) => [slice], [{ 1: '1' }, { 2: '2' }]);
    const result = await read({ source: new ListSource([s1]), config: {}, catalog: configuredCatalog([s1]) });
    expectMessageSequence(result.messages, `ST RU R({"1":"1"}) R({"2":"2"}) S(${NC}) CO`);
  });

  it('--debug: one slice: LOG per slice', async () => {
    const s1 = new FixedStream('s1', (slice) => [slice], [{ a: 1 }, { a: 2 }]);
    const result = await read({
      source: new ListSource([s1]),
      config: {},
      catalog: configuredCatalog([s1]),
      options: { debug: true },
    });
    const sliceLogs = result.messages.flatMap((message) =>
      message.type === 'LOG' && message.log.message.startsWith('slice:') ? [message.log.message] : [],
    );
    expect(sliceLogs).toEqual(['slice:{"a":1}', 'slice:{"a":2}']);
  });

  it('a null slice ends the stream (with a debug log) and it still gets its final state', async () => {
    const s1 = new FixedStream('s1', (slice) => [slice], [{ a: 1 }, null, { a: 2 }]);
    const result = await read({
      source: new ListSource([s1]),
      config: {},
      catalog: configuredCatalog([s1]),
      options: { debug: true },
    });
    expect(result.records('s1')).toEqual([{ a: 1 }]);
    expect(result.messages.some((m) => m.type === 'LOG' && m.log.message.includes('yielded null'))).toBe(
      true,
    );
    expect(result.states('s1')).toEqual([JSON.parse(NC)]);
  });
});

describe('incremental reads', () => {
  const slices = [
    [{ cursor: 1 }, { cursor: 2 }, { cursor: 3 }],
    [{ cursor: 4 }, { cursor: 5 }, { cursor: 6 }],
  ];

  it('state after each slice, no extra final state', async () => {
    const stream = new LegacyIncrementalStream('s1', slices);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expectMessageSequence(result.messages, 'ST RU R R R S({"cursor":3}) R R R S({"cursor":6}) CO');
    expect(result.stateMessages().map((m) => m.state.sourceStats?.recordCount)).toEqual([3, 3]);
  });

  it('interval counted across slices; the duplicate end-of-slice state is dropped', async () => {
    const stream = new LegacyIncrementalStream('s1', slices, 2);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    // Upstream: R R S R S R S R R S S; the end-of-slice S after "6" repeats the interval S with nothing in between.
    expectMessageSequence(
      result.messages,
      'ST RU R R S({"cursor":2}) R S({"cursor":3}) R S({"cursor":4}) R R S({"cursor":6}) CO',
    );
  });

  it('compatibility flag reproduces the upstream duplicate', async () => {
    const stream = new LegacyIncrementalStream('s1', slices, 2);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      options: { emitConsecutiveDuplicateStates: true },
    });
    expectMessageSequence(result.messages, 'ST RU R R S R S R S R R S S CO');
    expect(result.stateMessages().at(-1)?.state.sourceStats?.recordCount).toBe(0);
  });

  it('logs between records are not counted', async () => {
    const withLogs = [
      [{ cursor: 1 }, { log: 'HELLO' }, { cursor: 2 }, { cursor: 3 }],
      [{ cursor: 4 }, { log: 'HELLO' }, { cursor: 5 }, { cursor: 6 }],
    ];
    const stream = new LegacyIncrementalStream('s1', withLogs, 2);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    // Upstream: R L R S, R S, R S, L R R S, S (the last S repeats the one before with nothing between).
    expectMessageSequence(
      result.messages,
      'ST RU R L(INFO) R S({"cursor":2}) R S R S({"cursor":4}) L(INFO) R R S({"cursor":6}) CO',
    );
  });

  it('zero slices: exactly one STATE equal to the incoming state, no RUNNING', async () => {
    const stream = new LegacyIncrementalStream('s1', [], 2);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      state: [
        { type: 'STREAM', stream: { stream_descriptor: { name: 's1' }, stream_state: { cursor: 'value' } } },
      ],
    });
    expectMessageSequence(result.messages, 'ST S({"cursor":"value"}) CO');
    expect(result.stateMessages()[0]?.state.sourceStats?.recordCount).toBe(0);
  });

  it('descending records: the legacy state accumulates instead of moving back', async () => {
    const stream = new LegacyIncrementalStream('s1', [
      [{ cursor: 5 }, { cursor: 4 }, { cursor: 3 }, { cursor: 2 }],
    ]);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 's1' }, stream_state: { cursor: 1 } } }],
    });
    expectMessageSequence(result.messages, 'ST RU R R R R S({"cursor":5}) CO');
  });

  it('state owned by the stream is snapshotted when emitted, even in full_refresh sync mode', async () => {
    const stream = new CreatedAtStream();
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream], { syncMode: 'full_refresh' }),
    });
    expectMessageSequence(
      result.messages,
      'ST RU R R S({"created_at":1708899000}) R R S({"created_at":1708899427}) CO',
    );
  });
});

describe('resumable full refresh reads', () => {
  it('multiple pages: state after every page, one sentinel at the end', async () => {
    const stream = new PagedStream('s1', 3);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expectMessageSequence(result.messages, `ST RU R R S({"page":2}) R R S({"page":3}) R R S(${T}) CO`);
    expect(stream.requestedPages).toEqual([1, 2, 3]);
    expect(stream.seenStates).toEqual([{}, {}, {}]);
    expect(result.stateMessages().map((m) => m.state.sourceStats?.recordCount)).toEqual([2, 2, 2]);
  });

  it('compatibility flag: duplicate final state with recordCount 0, and {} as completion', async () => {
    const stream = new PagedStream('s1', 2);
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      options: { emitConsecutiveDuplicateStates: true, resumableFullRefreshCompletion: 'empty-object' },
    });
    expectMessageSequence(result.messages, 'ST RU R R S({"page":2}) R R S({}) S({}) CO');
    expect(result.stateMessages().at(-1)?.state.sourceStats?.recordCount).toBe(0);
  });

  it('incoming page state: resumes there, and readRecords sees the incoming state every time', async () => {
    const stream = new PagedStream('s1', 4);
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 's1' }, stream_state: { page: 3 } } },
    ];
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      state,
    });
    expectMessageSequence(result.messages, `ST RU R R S({"page":4}) R R S(${T}) CO`);
    expect(stream.seenStates).toEqual([{ page: 3 }, { page: 3 }]);
  });

  it('skips streams that completed in a prior attempt and reads the others', async () => {
    const s1 = new PagedStream('s1', 3);
    const s2 = new PagedStream('s2', 2);
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 's1' }, stream_state: JSON.parse(T) } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 's2' }, stream_state: { page: 2 } } },
    ];
    const result = await read({
      source: new ListSource([s1, s2]),
      config: {},
      catalog: configuredCatalog([s1, s2]),
      state,
    });
    expectMessageSequence(result.messages, `ST S(${T}) CO`, { stream: 's1' });
    expect(s1.requestedPages).toEqual([]);
    expectMessageSequence(result.messages, `ST RU R R S(${T}) CO`, { stream: 's2' });
  });

  it('partial failure: states of finished pages, then IN and an ERROR trace; the sync fails naming the stream', async () => {
    const stream = new PagedStream('s1', 5);
    stream.failOnPage = 3;
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expectMessageSequence(result.messages, 'ST RU R R S({"page":2}) R R S({"page":3}) IN E(system_error)');
    expect(result.errors()[0]?.stream_descriptor).toEqual({ name: 's1' });
    expect(SyncFailedError.isInstance(result.error)).toBe(true);
    expect((result.error as SyncFailedError).failedStreams).toEqual(['s1']);
    expect((result.error as SyncFailedError).failureType).toBe('config_error');
  });
});

describe('failures across streams', () => {
  class ThrowingStream extends FixedStream {
    constructor(private readonly error: unknown) {
      super('lamentations', () => []);
    }
    override *readRecords(): RecordSource {
      yield { before: true };
      throw this.error;
    }
  }

  it('other streams continue; the error trace carries failure_type and masks secrets', async () => {
    const s1 = new FixedStream('s1', () => [{ a: 1 }]);
    const failing = new ThrowingStream(
      new TracedError('token sk_live_123 rejected', {
        failureType: 'config_error',
        internalMessage: 'key sk_live_123',
      }),
    );
    const s3 = new FixedStream('s3', () => [{ c: 3 }]);
    const result = await read({
      source: new ListSource([s1, failing, s3]),
      config: { api_key: 'sk_live_123' },
      catalog: configuredCatalog([s1, failing, s3]),
    });
    expectMessageSequence(result.messages, 'ST RU R S CO', { stream: 's1' });
    expectMessageSequence(result.messages, 'ST RU R IN E(config_error)', { stream: 'lamentations' });
    expectMessageSequence(result.messages, 'ST RU R S CO', { stream: 's3' });
    expect(JSON.stringify(result.messages)).not.toContain('sk_live_123');
    expect(result.errors()[0]?.message).toBe('token **** rejected');
    expect((result.error as SyncFailedError).failedStreams).toEqual(['lamentations']);
  });

  it('stopSyncOnStreamFailure stops after the failed stream', async () => {
    const failing = new ThrowingStream(new Error('boom'));
    const s3 = new FixedStream('s3', () => [{ c: 3 }]);
    const result = await read({
      source: new ListSource([failing, s3]),
      config: {},
      catalog: configuredCatalog([failing, s3]),
      options: { stopSyncOnStreamFailure: true },
    });
    expect(result.statuses('s3')).toEqual([]);
    expect(SyncFailedError.isInstance(result.error)).toBe(true);
  });

  it('a catalog stream missing from the source is a config error before anything is read', async () => {
    const s1 = new FixedStream('s1', () => [{ a: 1 }]);
    const ghost = new FixedStream('ghost', () => []);
    const result = await read({
      source: new ListSource([s1]),
      config: {},
      catalog: configuredCatalog([s1, ghost]),
    });
    expect(result.messages).toEqual([]);
    expect(CatalogError.isInstance(result.error)).toBe(true);
    expect((result.error as CatalogError).failureType).toBe('config_error');
  });

  it('malformed state is a StateParseError', async () => {
    const s1 = new FixedStream('s1', () => []);
    const result = await read({
      source: new ListSource([s1]),
      config: {},
      catalog: configuredCatalog([s1]),
      state: 42,
    });
    expect(StateParseError.isInstance(result.error)).toBe(true);
    expect((result.error as StateParseError).code).toBe('CDK_STATE_INVALID');
  });

  it('namespaced streams carry their namespace in records, states, statuses and incoming state', async () => {
    class NamespacedPaged extends PagedStream {
      override get namespace(): string {
        return 'crm';
      }
    }
    const stream = new NamespacedPaged('contacts', 3);
    const state = [
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'contacts', namespace: 'crm' }, stream_state: { page: 3 } },
      },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'contacts' }, stream_state: { page: 2 } } },
    ];
    const result = await read({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
      state,
    });
    expect(stream.requestedPages).toEqual([3]);
    const record = result.messages.find((m) => m.type === 'RECORD');
    expect(record?.type === 'RECORD' && record.record.namespace).toBe('crm');
    expect(result.stateMessages()[0]?.state.stream?.stream_descriptor).toEqual({
      name: 'contacts',
      namespace: 'crm',
    });
    const status = result.messages[0];
    expect(
      status?.type === 'TRACE' &&
        status.trace.type === 'STREAM_STATUS' &&
        status.trace.stream_status.stream_descriptor,
    ).toEqual({
      name: 'contacts',
      namespace: 'crm',
    });
  });
});
