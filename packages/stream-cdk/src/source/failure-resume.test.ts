import { ListSource, PagedStream } from '../__fixtures__/sample-streams';
import { SyncFailedError } from '../errors/sync-failed-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { type ReadRecordsArgs, type RecordSource, Stream } from '../stream/stream';
import { configuredCatalog } from '../testing/configured-catalog';
import { expectMessageSequence } from '../testing/message-sequence';
import { assertValidMessages } from '../testing/protocol-validation';
import { readSource } from '../testing/read-source';

/** Incremental stream over ids 1..total (ordered), checkpointing every `interval` records, failing after `failAfterId`. */
class OrderedEventsStream extends Stream {
  readonly name = 'events';
  failAfterId: number | undefined;
  private value: JsonObject = {};
  constructor(private readonly total: number) {
    super();
  }
  get state(): JsonObject {
    return this.value;
  }
  set state(next: JsonObject) {
    this.value = next;
  }
  override get cursorField(): string[] {
    return ['id'];
  }
  override get stateCheckpointInterval(): number {
    return 10;
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const after = typeof args.streamState.id === 'number' ? args.streamState.id : 0;
    for (let id = after + 1; id <= this.total; id++) {
      // Advance the state before yielding: the CDK may checkpoint while this generator is suspended.
      this.value = { id };
      yield { id };
      if (id === this.failAfterId) throw new Error(`lost connection after ${id}`);
    }
  }
}

describe('interrupted reads resume from the emitted state', () => {
  it('RFR: fails on page 3 of 5; the rerun reads pages 3..5 and nothing before them again', async () => {
    const first = new PagedStream('pages', 5);
    first.failOnPage = 3;
    const run1 = await readSource({
      source: new ListSource([first]),
      config: {},
      catalog: configuredCatalog([first]),
    });
    assertValidMessages(run1.messages);
    expect(SyncFailedError.isInstance(run1.error)).toBe(true);
    expectMessageSequence(run1.messages, 'ST RU R R S({"page":2}) R R S({"page":3}) IN E(system_error)');
    expect(first.requestedPages).toEqual([1, 2, 3]);

    const second = new PagedStream('pages', 5);
    const run2 = await readSource({
      source: new ListSource([second]),
      config: {},
      catalog: configuredCatalog([second]),
      state: run1.stateForNextRun(),
    });
    assertValidMessages(run2.messages);
    expect(run2.error).toBeUndefined();
    expect(second.requestedPages).toEqual([3, 4, 5]);
    const firstIds = run1.records().map((record) => record.id);
    const secondIds = run2.records().map((record) => record.id);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(10);
    expect(run2.states().at(-1)).toEqual({ __ab_full_refresh_sync_complete: true });

    // A third attempt after success reads nothing.
    const third = new PagedStream('pages', 5);
    const run3 = await readSource({
      source: new ListSource([third]),
      config: {},
      catalog: configuredCatalog([third]),
      state: run2.stateForNextRun(),
    });
    expect(third.requestedPages).toEqual([]);
    expect(run3.records()).toEqual([]);
  });

  it('incremental with an interval: the last safe state is emitted before the failure', async () => {
    const first = new OrderedEventsStream(50);
    first.failAfterId = 25;
    const run1 = await readSource({
      source: new ListSource([first]),
      config: {},
      catalog: configuredCatalog([first]),
    });
    assertValidMessages(run1.messages);
    // States at 10 and 20 from the interval, then 25 (not on an interval) before INCOMPLETE.
    expect(run1.states()).toEqual([{ id: 10 }, { id: 20 }, { id: 25 }]);
    expect(run1.stateMessages().map((m) => m.state.sourceStats?.recordCount)).toEqual([10, 10, 5]);
    expect(run1.statuses('events')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(
      run1.messages.findIndex((m) => m.type === 'STATE' && m.state.stream?.stream_state?.id === 25),
    ).toBeLessThan(
      run1.messages.findIndex(
        (m) =>
          m.type === 'TRACE' &&
          m.trace.type === 'STREAM_STATUS' &&
          m.trace.stream_status.status === 'INCOMPLETE',
      ),
    );

    const second = new OrderedEventsStream(50);
    const run2 = await readSource({
      source: new ListSource([second]),
      config: {},
      catalog: configuredCatalog([second]),
      state: run1.stateForNextRun(),
    });
    const ids = [...run1.records(), ...run2.records()].map((record) => record.id);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });

  it('a failure right after an interval checkpoint adds no duplicate state', async () => {
    const stream = new OrderedEventsStream(50);
    stream.failAfterId = 20;
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    assertValidMessages(result.messages);
    expect(result.states()).toEqual([{ id: 10 }, { id: 20 }]);
    expect(result.statuses('events').at(-1)).toBe('INCOMPLETE');
  });
});
