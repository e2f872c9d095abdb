import { FlowConnectorError } from '../errors/flow-connector-error';
import { FlowStateError } from '../errors/flow-state-error';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { applyMergePatch } from '../protocol/merge-patch';
import { AirbyteFlowState, type AirbyteStateSlot } from './airbyte-flow-state';

const slots: AirbyteStateSlot[] = [
  { stateKey: 'users', stream: 'users', namespace: undefined, syncMode: 'incremental' },
  { stateKey: 'ns%2Fevents', stream: 'events', namespace: 'ns', syncMode: 'full_refresh' },
];

const streamState = (name: string, value: JsonObject, namespace?: string) => ({
  type: 'STREAM' as const,
  stream: { stream_descriptor: { name, ...(namespace ? { namespace } : {}) }, stream_state: value },
});

const failUnknown = (stream: string) => {
  throw new Error(`unknown ${stream}`);
};

describe('AirbyteFlowState', () => {
  it('merge-patch mode: patches only what changed, and folding the patches gives the full state', () => {
    const state = new AirbyteFlowState({}, slots, true, 'src');
    let folded: JsonValue = {};
    state.takeRowId(0);
    state.apply(streamState('users', { cursor: 1, extra: 'x' }), failUnknown);
    const first = state.checkpoint(false);
    expect(first.mergePatch).toBe(true);
    expect(Object.keys(first.updated.bindingStateV1 as JsonObject)).toEqual(['users']);
    folded = applyMergePatch(folded, first.updated);
    state.apply(streamState('users', { cursor: 2 }), failUnknown);
    const second = state.checkpoint(false);
    // The dropped key is deleted by the patch, not left behind by a deep merge.
    expect(second.updated).toEqual({
      bindingStateV1: { users: { state: { stream: { stream_state: { cursor: 2, extra: null } } } } },
    });
    folded = applyMergePatch(folded, second.updated);
    expect(folded).toEqual({
      bindingStateV1: { users: { rowId: 2, state: streamState('users', { cursor: 2 }) } },
    });
  });

  it('compatibility mode writes the Python layout in full and clears full refresh at the end of a sweep', () => {
    const state = new AirbyteFlowState({}, slots, false, 'src');
    state.takeRowId(1);
    state.apply(streamState('events', { page: 1 }, 'ns'), failUnknown);
    const middle = state.checkpoint(false);
    expect(middle).toEqual({
      mergePatch: false,
      updated: {
        bindingStateV1: { 'ns%2Fevents': { rowId: 2, state: streamState('events', { page: 1 }, 'ns') } },
      },
    });
    expect(state.checkpoint(true)).toEqual({ mergePatch: false, updated: { bindingStateV1: {} } });
  });

  it('restores row ids: incremental keeps counting, full refresh only when resuming a sweep', () => {
    const restored = new AirbyteFlowState(
      { bindingStateV1: { users: { rowId: 7 }, 'ns%2Fevents': { rowId: 9 } }, unrelated: true },
      slots,
      true,
      'src',
    );
    expect(restored.takeRowId(0)).toBe(7);
    expect(restored.takeRowId(1)).toBe(1);
    const resuming = new AirbyteFlowState(
      { bindingStateV1: { 'ns%2Fevents': { rowId: 9, state: streamState('events', { page: 3 }, 'ns') } } },
      slots,
      true,
      'src',
    );
    expect(resuming.takeRowId(1)).toBe(9);
    expect(resuming.incoming()).toEqual([streamState('events', { page: 3 }, 'ns')]);
  });

  it('round-trips GLOBAL and LEGACY state', () => {
    const global = new AirbyteFlowState({}, slots, true, 'src');
    global.apply(
      {
        type: 'GLOBAL',
        global: {
          shared_state: { lsn: 5 },
          stream_states: [{ stream_descriptor: { name: 'users' }, stream_state: { cursor: 3 } }],
        },
      },
      failUnknown,
    );
    const restored = new AirbyteFlowState(
      applyMergePatch({}, global.checkpoint(false).updated),
      slots,
      true,
      'src',
    );
    expect(restored.incoming()).toEqual([
      {
        type: 'GLOBAL',
        global: {
          shared_state: { lsn: 5 },
          stream_states: [{ stream_descriptor: { name: 'users' }, stream_state: { cursor: 3 } }],
        },
      },
    ]);
    const legacy = new AirbyteFlowState({}, slots, false, 'src');
    legacy.apply({ data: { users: { cursor: 1 } } }, failUnknown);
    const legacyState = legacy.checkpoint(false).updated;
    expect(new AirbyteFlowState(legacyState, slots, false, 'src').incoming()).toEqual([
      { type: 'LEGACY', data: { users: { cursor: 1 } } },
    ]);
  });

  it('refuses malformed state instead of silently re-backfilling', () => {
    for (const bad of [
      [],
      { bindingStateV1: [] },
      { bindingStateV1: { users: { rowId: -1 } } },
      { bindingStateV1: { users: { state: 'x' } } },
    ]) {
      expect(() => new AirbyteFlowState(bad as JsonValue, slots, true, 'src')).toThrow(FlowStateError);
    }
  });

  it('reports unbound streams and malformed STATE messages', () => {
    const state = new AirbyteFlowState({}, slots, true, 'src');
    const unknown: string[] = [];
    state.apply(streamState('ghost', { a: 1 }), (stream) => unknown.push(stream));
    expect(unknown).toEqual(['ghost']);
    expect(() => state.apply({ type: 'STREAM' }, failUnknown)).toThrow(FlowConnectorError);
    expect(() => state.apply({ type: 'WEIRD' as 'STREAM' }, failUnknown)).toThrow(FlowConnectorError);
  });
});

describe('AirbyteFlowState with streams named like Object members (found by fuzzing)', () => {
  const odd: AirbyteStateSlot[] = [
    { stateKey: 'constructor', stream: 'constructor', namespace: undefined, syncMode: 'incremental' },
    { stateKey: '__proto__', stream: '__proto__', namespace: undefined, syncMode: 'incremental' },
  ];

  it('opens without saved state (constructor was read from Object.prototype and refused)', () => {
    const state = new AirbyteFlowState(JSON.parse('{"bindingStateV1":{}}'), odd, true, 'src');
    expect(state.takeRowId(0)).toBe(1);
    expect(state.incoming()).toEqual([]);
  });

  it('checkpoints and restores a __proto__ binding (its entry replaced the prototype and was lost)', () => {
    const state = new AirbyteFlowState({}, odd, false, 'src');
    state.takeRowId(1);
    state.apply(streamState('__proto__', { cursor: 5 }), failUnknown);
    const { updated } = state.checkpoint(false);
    const text = JSON.stringify(updated);
    expect(text).toContain('"__proto__":{"rowId":2');
    const restored = new AirbyteFlowState(JSON.parse(text), odd, true, 'src');
    expect(restored.takeRowId(1)).toBe(2);
    expect(restored.incoming()).toEqual(
      [streamState('__proto__', { cursor: 5 }).stream].map((stream) => ({ type: 'STREAM', stream })),
    );
  });
});
