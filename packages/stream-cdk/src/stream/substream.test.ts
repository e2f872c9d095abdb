import { ListSource, PagedStream } from '../__fixtures__/sample-streams';
import { SubstreamResumableFullRefreshCursor } from '../checkpoint/substream-resumable-full-refresh-cursor';
import { SliceError } from '../errors/slice-error';
import { StateParseError } from '../errors/state-parse-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { configuredCatalog } from '../testing/configured-catalog';
import { expectMessageSequence } from '../testing/message-sequence';
import { assertValidMessages } from '../testing/protocol-validation';
import { readSource } from '../testing/read-source';
import type { RecordSource } from './stream';
import { type ReadPartitionArgs, SubStream } from './substream';

const T = { __ab_full_refresh_sync_complete: true };

class CommentsStream extends SubStream {
  readonly name = 'comments';
  readonly readPartitions: JsonObject[] = [];
  failOnParent: string | undefined;
  constructor(readonly parent: PagedStream) {
    super();
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  async *readPartition(args: ReadPartitionArgs): RecordSource {
    this.readPartitions.push(args.partition);
    const parentId = (args.partition.parent as JsonObject).id as string;
    yield { parent_id: parentId, n: 1 };
    if (parentId === this.failOnParent) throw new Error(`comments of ${parentId} failed`);
    yield { parent_id: parentId, n: 2 };
  }
}

describe('SubstreamResumableFullRefreshCursor', () => {
  it('starts empty and marks closed partitions complete in insertion order', () => {
    const cursor = new SubstreamResumableFullRefreshCursor();
    expect(cursor.getStreamState()).toEqual({ states: [] });
    for (const musician of ['kousei_arima', 'kaori_miyazono']) {
      expect(cursor.selectState({ musician_id: musician })).toBeUndefined();
      cursor.closeSlice({ musician_id: musician });
    }
    expect(cursor.getStreamState()).toEqual({
      states: [
        { partition: { musician_id: 'kousei_arima' }, cursor: T },
        { partition: { musician_id: 'kaori_miyazono' }, cursor: T },
      ],
    });
  });

  it('resumes from incoming state, matching partitions whatever their key order', () => {
    const cursor = new SubstreamResumableFullRefreshCursor();
    cursor.setInitialState({
      states: [
        { partition: { a: 1, b: 2 }, cursor: T },
        { partition: { a: 3 }, cursor: {} },
      ],
    });
    expect(cursor.selectState({ b: 2, a: 1 })).toEqual(T);
    expect(cursor.selectState({ a: 3 })).toEqual({});
    expect(cursor.selectState({ a: 4 })).toBeUndefined();
  });

  it('rejects state without "states" and selecting without a slice', () => {
    const cursor = new SubstreamResumableFullRefreshCursor();
    let caught: unknown;
    try {
      cursor.setInitialState({ next_page_token: 2 });
    } catch (error) {
      caught = error;
    }
    expect(StateParseError.isInstance(caught)).toBe(true);
    expect(() => cursor.selectState()).toThrow(SliceError);
    cursor.setInitialState({});
    expect(cursor.getStreamState()).toEqual({ states: [] });
  });
});

describe('SubStream reads', () => {
  it('reads every page of the parent and checkpoints each finished partition', async () => {
    const child = new CommentsStream(new PagedStream('posts', 2, 2));
    // As the Python CDK (PR #37429): a stream with a parent is not resumable for the platform...
    expect(child.isResumable).toBe(false);
    expect(child.asAirbyteStream().is_resumable).toBe(false);
    expect(child.checkpointMode).toBe('full_refresh');
    // ...but it still checkpoints every finished partition, and honours such a state when given one.
    const result = await readSource({
      source: new ListSource([child]),
      config: {},
      catalog: configuredCatalog([child]),
    });
    assertValidMessages(result.messages);
    expect(child.readPartitions).toEqual(['1-0', '1-1', '2-0', '2-1'].map((id) => ({ parent: { id } })));
    expectMessageSequence(result.messages, 'ST RU R R S R R S R R S R R S CO');
    expect(result.states().at(-1)).toEqual({
      states: ['1-0', '1-1', '2-0', '2-1'].map((id) => ({ partition: { parent: { id } }, cursor: T })),
    });
    expect(result.stateMessages().map((m) => m.state.sourceStats?.recordCount)).toEqual([2, 2, 2, 2]);
  });

  it('after a failure, resumes at the failed partition and skips finished ones', async () => {
    const first = new CommentsStream(new PagedStream('posts', 2, 2));
    first.failOnParent = '2-0';
    const run1 = await readSource({
      source: new ListSource([first]),
      config: {},
      catalog: configuredCatalog([first]),
    });
    assertValidMessages(run1.messages);
    expectMessageSequence(run1.messages, 'ST RU R R S R R S R IN E(system_error)');

    const second = new CommentsStream(new PagedStream('posts', 2, 2));
    const run2 = await readSource({
      source: new ListSource([second]),
      config: {},
      catalog: configuredCatalog([second]),
      state: run1.stateForNextRun(),
    });
    expect(second.readPartitions).toEqual([{ parent: { id: '2-0' } }, { parent: { id: '2-1' } }]);
    expect(run2.records().map((r) => `${r.parent_id}/${r.n}`)).toEqual(['2-0/1', '2-0/2', '2-1/1', '2-1/2']);
  });
});
