import { FixedStream, ListSource, PagedStream } from '../__fixtures__/sample-streams';
import type { AirbyteMessage, JsonObject } from '../protocol/airbyte-protocol';
import { configuredCatalog } from '../testing/configured-catalog';
import { assertValidMessages } from '../testing/protocol-validation';
import { readSource } from '../testing/read-source';
import type { ReadRecordsArgs, RecordSource } from './stream';
import { Stream } from './stream';
import { type ReadPartitionArgs, SubStream } from './substream';

const DONE = { __ab_full_refresh_sync_complete: true };

/** Resolves once `count` partitions are being read at the same time (or every partition has started). */
class Rendezvous {
  active = 0;
  max = 0;
  started = 0;
  private waiters: (() => void)[] = [];
  constructor(
    private readonly count: number,
    private readonly total: number,
  ) {}
  async enter(): Promise<void> {
    this.active++;
    this.started++;
    this.max = Math.max(this.max, this.active);
    if (this.active >= this.count || this.started >= this.total) this.release();
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  leave(): void {
    this.active--;
  }
  private release(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/** Comments of 6 posts (3 records each); a partition waits until 2 partitions run together. */
class CommentsStream extends SubStream {
  readonly name = 'comments';
  readonly readPartitions: string[] = [];
  readonly parent = new PagedStream('posts', 3, 2);
  failOn: string | undefined;
  constructor(
    private readonly rendezvous: Rendezvous,
    private readonly concurrency: number,
  ) {
    super();
  }
  override get maxConcurrentSlices(): number {
    return this.concurrency;
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  async *readPartition(args: ReadPartitionArgs): RecordSource {
    const post = (args.partition.parent as { id: string }).id;
    this.readPartitions.push(post);
    await this.rendezvous.enter();
    try {
      for (let n = 1; n <= 3; n++) {
        if (post === this.failOn && n === 2) throw new Error(`comments of ${post} failed`);
        yield { post, n };
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.rendezvous.leave();
    }
  }
}

const posts = ['1-0', '1-1', '2-0', '2-1', '3-0', '3-1'];

/** Every STATE lists as complete only partitions whose 3 records are all before it. */
function expectStatesAfterTheirRecords(messages: AirbyteMessage[]): void {
  const seen = new Map<string, number>();
  for (const message of messages) {
    if (message.type === 'RECORD') {
      const post = message.record.data.post as string;
      seen.set(post, (seen.get(post) ?? 0) + 1);
    } else if (message.type === 'STATE') {
      const blob = (message.state.stream?.stream_state ?? {}) as {
        states?: { partition: { parent: { id: string } } }[];
      };
      const states = blob.states ?? [];
      for (const entry of states)
        expect([entry.partition.parent.id, seen.get(entry.partition.parent.id)]).toEqual([
          entry.partition.parent.id,
          3,
        ]);
    }
  }
}

describe('maxConcurrentSlices', () => {
  it('reads substream partitions at the same time and checkpoints each one after all its records', async () => {
    const rendezvous = new Rendezvous(2, posts.length);
    const child = new CommentsStream(rendezvous, 3);
    const result = await readSource({
      source: new ListSource([child]),
      config: {},
      catalog: configuredCatalog([child]),
    });
    expect(result.error).toBeUndefined();
    assertValidMessages(result.messages);
    expect(rendezvous.max).toBeGreaterThanOrEqual(2);
    expect(rendezvous.max).toBeLessThanOrEqual(3);
    expect(result.records()).toHaveLength(18);
    for (const post of posts)
      expect(
        result
          .records()
          .filter((r) => r.post === post)
          .map((r) => r.n),
      ).toEqual([1, 2, 3]);
    expectStatesAfterTheirRecords(result.messages);
    const last = result.states().at(-1) as { states: { partition: JsonObject; cursor: JsonObject }[] };
    expect(new Set(last.states.map((s) => (s.partition.parent as { id: string }).id))).toEqual(
      new Set(posts),
    );
    expect(last.states.every((s) => JSON.stringify(s.cursor) === JSON.stringify(DONE))).toBe(true);
  });

  it('never checkpoints a partition before all its records, even when another one finishes meanwhile', async () => {
    let finishA!: () => void;
    const aMayFinish = new Promise<void>((resolve) => {
      finishA = resolve;
    });
    class TwoPartitions extends SubStream {
      readonly name = 'two';
      readonly parent = new FixedStream('parents', () => [{ id: 'a' }, { id: 'b' }]);
      override get maxConcurrentSlices(): number {
        return 2;
      }
      override partitionFor(record: JsonObject): JsonObject {
        return { id: record.id as string };
      }
      getJsonSchema(): JsonObject {
        return { type: 'object' };
      }
      async *readPartition(args: ReadPartitionArgs): RecordSource {
        const id = args.partition.id as string;
        if (id === 'a') {
          yield { id, n: 1 };
          await aMayFinish; // a finishes right when b's read has ended
          return;
        }
        for (let n = 1; n <= 3; n++) yield { id, n };
        finishA(); // b's read is over (and its partition is marked complete right after)
      }
    }
    const stream = new TwoPartitions();
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(result.error).toBeUndefined();
    const seen: Record<string, number> = {};
    for (const message of result.messages) {
      if (message.type === 'RECORD') {
        const id = message.record.data.id as string;
        seen[id] = (seen[id] ?? 0) + 1;
      } else if (message.type === 'STATE') {
        const blob = (message.state.stream?.stream_state ?? {}) as {
          states?: { partition: { id: string } }[];
        };
        const states = blob.states ?? [];
        const expected = { a: 1, b: 3 } as Record<string, number>;
        for (const entry of states)
          expect([entry.partition.id, seen[entry.partition.id]]).toEqual([
            entry.partition.id,
            expected[entry.partition.id],
          ]);
      }
    }
    expect(seen).toEqual({ a: 1, b: 3 });
  });

  it('after a failed partition, the finished ones are checkpointed and the next run reads only the rest', async () => {
    const first = new CommentsStream(new Rendezvous(2, posts.length), 2);
    first.failOn = '2-0';
    const run1 = await readSource({
      source: new ListSource([first]),
      config: {},
      catalog: configuredCatalog([first]),
    });
    expect(run1.statuses('comments')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expectStatesAfterTheirRecords(run1.messages);
    const committed = new Set(
      (run1.states().at(-1) as { states: { partition: { parent: { id: string } } }[] }).states.map(
        (s) => s.partition.parent.id,
      ),
    );
    expect(committed.has('2-0')).toBe(false);

    const second = new CommentsStream(new Rendezvous(2, posts.length - committed.size), 2);
    const run2 = await readSource({
      source: new ListSource([second]),
      config: {},
      catalog: configuredCatalog([second]),
      state: run1.stateForNextRun(),
    });
    expect(run2.error).toBeUndefined();
    expect(new Set(second.readPartitions)).toEqual(new Set(posts.filter((post) => !committed.has(post))));
    // Nothing lost: what run 1 committed plus what run 2 read is every comment.
    const all = [...run1.records().filter((r) => committed.has(r.post as string)), ...run2.records()].map(
      (r) => `${r.post}/${r.n}`,
    );
    expect(all.sort()).toEqual(posts.flatMap((post) => [1, 2, 3].map((n) => `${post}/${n}`)).sort());
  });

  it('reads the slices of a full refresh stream at the same time, each slice in order, one STATE at the end', async () => {
    const rendezvous = new Rendezvous(2, 4);
    class Slices extends FixedStream {
      override get maxConcurrentSlices(): number {
        return 2;
      }
      override async *readRecords(args: ReadRecordsArgs): RecordSource {
        await rendezvous.enter();
        yield* super.readRecords(args);
        rendezvous.leave();
      }
    }
    const stream = new Slices('s', (slice) => [1, 2].map((n) => ({ day: slice.day as string, n })), [
      { day: 'a' },
      { day: 'b' },
      { day: 'c' },
      { day: 'd' },
    ]);
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(result.error).toBeUndefined();
    expect(rendezvous.max).toBe(2);
    for (const day of ['a', 'b', 'c', 'd'])
      expect(
        result
          .records()
          .filter((r) => r.day === day)
          .map((r) => r.n),
      ).toEqual([1, 2]);
    expect(result.states()).toEqual([{ __ab_no_cursor_state_message: true }]);
  });

  it('reads the slices of an incremental stream one by one, whatever the setting', async () => {
    let active = 0;
    let max = 0;
    class Days extends Stream {
      readonly name = 'days';
      override get cursorField(): string[] {
        return ['day'];
      }
      override get maxConcurrentSlices(): number {
        return 4;
      }
      override streamSlices() {
        return [{ day: 1 }, { day: 2 }, { day: 3 }];
      }
      getJsonSchema(): JsonObject {
        return { type: 'object' };
      }
      async *readRecords(args: ReadRecordsArgs): RecordSource {
        active++;
        max = Math.max(max, active);
        await new Promise((resolve) => setImmediate(resolve));
        yield { day: args.streamSlice.day as number };
        active--;
      }
      override getUpdatedState(current: JsonObject, latest: JsonObject): JsonObject {
        return { day: Math.max((current.day as number | undefined) ?? 0, latest.day as number) };
      }
    }
    const stream = new Days();
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(max).toBe(1);
    expect(result.states()).toEqual([{ day: 1 }, { day: 2 }, { day: 3 }]);
  });

  it.each([0, 2.5])('rejects maxConcurrentSlices %p with a SliceError trace', async (value) => {
    class Bad extends FixedStream {
      override get maxConcurrentSlices(): number {
        return value;
      }
    }
    const stream = new Bad('bad', () => [{ a: 1 }]);
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(result.errors()[0]?.message).toContain('[CDK_SLICE_INVALID]');
  });
});
