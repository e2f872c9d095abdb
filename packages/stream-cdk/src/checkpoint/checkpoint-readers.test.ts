import { SliceError } from '../errors/slice-error';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { Cursor } from './cursor';
import { CursorBasedCheckpointReader } from './cursor-based-checkpoint-reader';
import { FullRefreshCheckpointReader } from './full-refresh-checkpoint-reader';
import { IncrementalCheckpointReader } from './incremental-checkpoint-reader';
import { ResumableFullRefreshCheckpointReader } from './resumable-full-refresh-checkpoint-reader';
import { ResumableFullRefreshCursor } from './resumable-full-refresh-cursor';
import { fullRefreshCompleteState, noCursorState } from './sentinel-states';
import { createStreamSlice } from './stream-slice';

const T = fullRefreshCompleteState();

/** A cursor whose selectState answers come from a script, like the upstream mock. */
function scriptedCursor(answers: Array<JsonObject | undefined>, streamState: JsonObject = {}): Cursor {
  const queue = [...answers];
  return {
    setInitialState: () => undefined,
    closeSlice: () => undefined,
    getStreamState: () => streamState,
    shouldBeSynced: () => true,
    selectState: () => {
      if (queue.length === 0) throw new Error('selectState called more often than scripted');
      return queue.shift();
    },
  };
}

function sliceParts(slice: JsonObject | null): [JsonObject, JsonObject] | null {
  if (slice === null) return null;
  const typed = slice as { partition: JsonObject; cursorSlice: JsonObject };
  return [typed.partition, typed.cursorSlice];
}

describe('IncrementalCheckpointReader', () => {
  it('checkpoints the observed state after every slice and nothing after the last', async () => {
    const slices = [
      { start: '2024-01-01', end: '2024-02-01' },
      { start: '2024-02-01', end: '2024-03-01' },
      { start: '2024-03-01', end: '2024-04-01' },
    ];
    const reader = new IncrementalCheckpointReader({}, slices);
    for (const [index, slice] of slices.entries()) {
      expect(await reader.next()).toEqual(slice);
      reader.observe({ updated_at: `2024-0${index + 1}-15` });
      expect(reader.getCheckpoint()).toEqual({ updated_at: `2024-0${index + 1}-15` });
    }
    expect(await reader.next()).toBeNull();
    expect(reader.getCheckpoint()).toBeNull();
  });

  it('with no slices keeps the incoming state as its only checkpoint', async () => {
    const reader = new IncrementalCheckpointReader({ updated_at: '2024-04-01' }, []);
    expect(await reader.next()).toBeNull();
    expect(reader.getCheckpoint()).toEqual({ updated_at: '2024-04-01' });
    reader.observe({ cursor: 'new_state_value' });
    expect(reader.getCheckpoint()).toEqual({ cursor: 'new_state_value' });
  });

  it('ends at a null slice and calls the null-slice hook once', async () => {
    const onNull = jest.fn();
    const reader = new IncrementalCheckpointReader({ c: 1 }, [null, { never: true }], onNull);
    expect(await reader.next()).toBeNull();
    expect(await reader.next()).toBeNull();
    expect(onNull).toHaveBeenCalledTimes(1);
    expect(reader.getCheckpoint()).toEqual({ c: 1 });
  });
});

describe('ResumableFullRefreshCheckpointReader', () => {
  it('returns the observed page token as the next slice and stops at the sentinel', async () => {
    const reader = new ResumableFullRefreshCheckpointReader({ synthetic_page_number: 55 });
    expect(await reader.next()).toEqual({ synthetic_page_number: 55 });
    reader.observe({ synthetic_page_number: 56 });
    expect(await reader.next()).toEqual({ synthetic_page_number: 56 });
    reader.observe({ synthetic_page_number: 57 });
    expect(await reader.next()).toEqual({ synthetic_page_number: 57 });
    reader.observe(T);
    expect(await reader.next()).toBeNull();
    expect(reader.getCheckpoint()).toEqual(T);
  });

  it('starts from {} and reads the first page with an empty slice', async () => {
    const reader = new ResumableFullRefreshCheckpointReader({});
    expect(reader.getCheckpoint()).toEqual({});
    expect(await reader.next()).toEqual({});
    reader.observe({ synthetic_page_number: 2 });
    expect(await reader.next()).toEqual({ synthetic_page_number: 2 });
    reader.observe({});
    expect(await reader.next()).toBeNull();
  });

  it('returns a token observed before the first next() (upstream test order)', async () => {
    const reader = new ResumableFullRefreshCheckpointReader({});
    reader.observe({ synthetic_page_number: 1 });
    expect(await reader.next()).toEqual({ synthetic_page_number: 1 });
  });

  it('writes completion as the sentinel by default and as {} on request', async () => {
    const sentinel = new ResumableFullRefreshCheckpointReader({ page: 3 });
    sentinel.observe({});
    expect(sentinel.getCheckpoint()).toEqual(T);
    const empty = new ResumableFullRefreshCheckpointReader({ page: 3 }, { completion: 'empty-object' });
    empty.observe(T);
    expect(empty.getCheckpoint()).toEqual({});
  });

  it('reads nothing when the incoming state is the sentinel, unless told to ignore it', async () => {
    const done = new ResumableFullRefreshCheckpointReader(T);
    expect(await done.next()).toBeNull();
    expect(done.getCheckpoint()).toEqual(T);
    const restart = new ResumableFullRefreshCheckpointReader(T, { ignoreIncomingCompletion: true });
    expect(await restart.next()).toEqual({});
  });
});

describe('FullRefreshCheckpointReader', () => {
  it('returns no checkpoint per slice and the no-cursor sentinel at the end', async () => {
    const reader = new FullRefreshCheckpointReader([{ partition: 1 }, { partition: 2 }]);
    expect(await reader.next()).toEqual({ partition: 1 });
    expect(reader.getCheckpoint()).toBeNull();
    expect(await reader.next()).toEqual({ partition: 2 });
    expect(reader.getCheckpoint()).toBeNull();
    expect(await reader.next()).toBeNull();
    expect(reader.getCheckpoint()).toEqual(noCursorState());
  });

  it('reads a literal [null] as one empty slice', async () => {
    const reader = new FullRefreshCheckpointReader([null]);
    expect(await reader.next()).toEqual({});
    expect(await reader.next()).toBeNull();
  });

  it('accepts async slice sources', async () => {
    async function* slices() {
      yield { a: 1 };
    }
    const reader = new FullRefreshCheckpointReader(slices());
    expect(await reader.next()).toEqual({ a: 1 });
    expect(await reader.next()).toBeNull();
  });
});

describe('CursorBasedCheckpointReader', () => {
  it('incremental: one checkpoint while the cursor state does not change', async () => {
    const slices = ['01', '02', '03'].map((month) => createStreamSlice({}, { start: `2024-${month}-01` }));
    const reader = new CursorBasedCheckpointReader(scriptedCursor([], { end_date: '2024-02-01' }), slices);
    expect(await reader.next()).toEqual({ start: '2024-01-01' });
    expect(reader.getCheckpoint()).toEqual({ end_date: '2024-02-01' });
    expect(await reader.next()).toEqual({ start: '2024-02-01' });
    expect(reader.getCheckpoint()).toBeNull();
    expect(await reader.next()).toEqual({ start: '2024-03-01' });
    expect(await reader.next()).toBeNull();
    expect(reader.getCheckpoint()).toBeNull();
  });

  it('resumable full refresh: stays on a partition until the cursor marks it complete', async () => {
    const cursor = scriptedCursor([{}, { npt: 2 }, { npt: 3 }, { npt: 4 }, T]);
    const reader = new CursorBasedCheckpointReader(cursor, [createStreamSlice({})], {
      readStateFromCursor: true,
    });
    const seen: unknown[] = [];
    for (let slice = await reader.next(); slice !== null; slice = await reader.next())
      seen.push(sliceParts(slice));
    expect(seen).toEqual([
      [{}, {}],
      [{}, { npt: 2 }],
      [{}, { npt: 3 }],
      [{}, { npt: 4 }],
    ]);
  });

  it('walks parents, resuming each from its own state', async () => {
    const cursor = scriptedCursor([{ npt: 2 }, { npt: 3 }, T, { npt: 2 }, { npt: 3 }, T]);
    const partitions = [createStreamSlice({ parent: 'zaheer' }), createStreamSlice({ parent: 'pli' })];
    const reader = new CursorBasedCheckpointReader(cursor, partitions, { readStateFromCursor: true });
    const seen: unknown[] = [];
    for (let slice = await reader.next(); slice !== null; slice = await reader.next()) seen.push(slice);
    expect(seen).toEqual([
      { parent: 'zaheer', npt: 2 },
      { parent: 'zaheer', npt: 3 },
      { parent: 'pli', npt: 2 },
      { parent: 'pli', npt: 3 },
    ]);
  });

  it('skips parents already complete, including the first one', async () => {
    const cursor = scriptedCursor([T, T, { npt: 2 }, { npt: 3 }, T, T, T, { npt: 7 }, { npt: 8 }, T]);
    const names = ['korra', 'mako', 'bolin', 'asami', 'naga', 'pabu'];
    const reader = new CursorBasedCheckpointReader(
      cursor,
      names.map((name) => createStreamSlice({ parent: name })),
      { readStateFromCursor: true },
    );
    const seen: unknown[] = [];
    for (let slice = await reader.next(); slice !== null; slice = await reader.next()) seen.push(slice);
    expect(seen).toEqual([
      { parent: 'bolin', npt: 2 },
      { parent: 'bolin', npt: 3 },
      { parent: 'pabu', npt: 7 },
      { parent: 'pabu', npt: 8 },
    ]);
  });

  it('reads the first parent to the end before moving on', async () => {
    const cursor = scriptedCursor([{ npt: 3 }, { npt: 4 }, { npt: 4 }, T, T, T]);
    const reader = new CursorBasedCheckpointReader(
      cursor,
      ['bolin', 'asami', 'naga'].map((name) => createStreamSlice({ parent: name })),
      { readStateFromCursor: true },
    );
    const seen: unknown[] = [];
    for (let slice = await reader.next(); slice !== null; slice = await reader.next()) seen.push(slice);
    expect(seen).toEqual([
      { parent: 'bolin', npt: 3 },
      { parent: 'bolin', npt: 4 },
      { parent: 'bolin', npt: 4 },
    ]);
  });

  it('rejects plain slices with a SliceError', async () => {
    const reader = new CursorBasedCheckpointReader(new ResumableFullRefreshCursor(), [{ invalid: 'slice' }], {
      readStateFromCursor: true,
    });
    const failure = await reader.next().catch((error: unknown) => error);
    expect(SliceError.isInstance(failure)).toBe(true);
    expect((failure as SliceError).code).toBe('CDK_SLICE_INVALID');
  });

  it('legacy plain slices become partitions when wrapping is on', async () => {
    const cursor = scriptedCursor([{}, { next_page_token: 2 }, { next_page_token: 3 }, T]);
    const reader = new CursorBasedCheckpointReader(cursor, [{ parent_id: 400 }], {
      readStateFromCursor: true,
      wrapPlainSlices: true,
    });
    const seen: unknown[] = [];
    for (let slice = await reader.next(); slice !== null; slice = await reader.next()) seen.push(slice);
    expect(seen).toEqual([
      { parent_id: 400 },
      { parent_id: 400, next_page_token: 2 },
      { parent_id: 400, next_page_token: 3 },
    ]);
  });

  it('legacy plain slices may not use the reserved keys', async () => {
    const reader = new CursorBasedCheckpointReader(new ResumableFullRefreshCursor(), [{ partition: 1 }], {
      readStateFromCursor: true,
      wrapPlainSlices: true,
    });
    const failure = await reader.next().catch((error: unknown) => error);
    expect(SliceError.isInstance(failure)).toBe(true);
  });
});
