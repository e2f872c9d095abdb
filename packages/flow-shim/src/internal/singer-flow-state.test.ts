import type { JsonObject } from '../protocol/flow-specs';
import { applyMergePatch } from '../protocol/merge-patch';
import { SingerFlowState } from './singer-flow-state';

describe('SingerFlowState', () => {
  const bindings = [
    { stateKey: 'users', tapStreamId: 'users', fullTable: false },
    { stateKey: 'log', tapStreamId: 'log', fullTable: true },
  ];

  it('translates Flow state to Singer bookmarks without the row counter, and back as merge patches', () => {
    const state = new SingerFlowState(
      { bindingStateV1: { users: { since: 5, 'estuary.dev/rowCounter': 11 } } },
      bindings,
      true,
    );
    expect(state.singerState()).toEqual({ bookmarks: { users: { since: 5 } } });
    expect(state.takeRowId(0)).toBe(11);
    const unknown: string[] = [];
    state.apply({ bookmarks: { users: { since: 7 }, other: {} }, currently_syncing: 'users' }, (stream) =>
      unknown.push(stream),
    );
    expect(unknown).toEqual(['other']);
    const checkpoint = state.checkpoint(false);
    expect(checkpoint).toEqual({
      mergePatch: true,
      updated: { bindingStateV1: { users: { since: 7, 'estuary.dev/rowCounter': 12 } } },
    });
    const folded = applyMergePatch(
      { bindingStateV1: { users: { since: 5, 'estuary.dev/rowCounter': 11 } } },
      checkpoint.updated,
    ) as JsonObject;
    expect(folded).toEqual({ bindingStateV1: { users: { since: 7, 'estuary.dev/rowCounter': 12 } } });
  });

  it('has no Singer state for a new task and restarts FULL_TABLE counters at the end of a sweep', () => {
    const state = new SingerFlowState({}, bindings, false);
    expect(state.singerState()).toBeUndefined();
    state.takeRowId(1);
    state.takeRowId(1);
    expect(state.checkpoint(false).updated).toEqual({
      bindingStateV1: { log: { 'estuary.dev/rowCounter': 3 } },
    });
    expect(state.checkpoint(true).updated).toEqual({
      bindingStateV1: { log: { 'estuary.dev/rowCounter': 1 } },
    });
  });
});

describe('SingerFlowState with streams named like Object members (the same defect as AirbyteFlowState)', () => {
  it('opens without saved state and keeps a __proto__ bookmark', () => {
    const bindings = [
      { stateKey: 'constructor', tapStreamId: 'constructor', fullTable: false },
      { stateKey: '__proto__', tapStreamId: '__proto__', fullTable: false },
    ];
    const fresh = new SingerFlowState(JSON.parse('{"bindingStateV1":{}}'), bindings, true);
    expect(fresh.singerState()).toBeUndefined();
    const saved = new SingerFlowState(
      JSON.parse('{"bindingStateV1":{"__proto__":{"cursor":3}}}'),
      bindings,
      false,
    );
    expect(JSON.stringify(saved.singerState())).toBe('{"bookmarks":{"__proto__":{"cursor":3}}}');
  });
});
