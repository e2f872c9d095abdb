import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import type { JsonObject } from '../protocol/flow-specs';
import { FakeFlowRuntime, type RuntimeBinding } from '../runtime/fake-flow-runtime';

const shim = fixtureCommand('airbyte-shim-connector.ts');

function runtime(config: JsonObject, env: Record<string, string> = {}, initialState?: JsonObject) {
  return new FakeFlowRuntime({
    ...shim,
    env,
    config: { apiKey: 'good', ...config },
    timeoutMs: 60_000,
    ...(initialState ? { initialState } : {}),
  });
}

type Doc = { binding: number; doc: JsonObject };
const label = ({ binding, doc }: Doc) =>
  `${binding}:${String(doc.id ?? doc.seq ?? doc['order/id'])}:${(doc._meta as { row_id: number }).row_id}`;

// Each test runs several connector processes; the shared CI machine can be slow.
jest.setTimeout(90_000);

describe('Airbyte shim around an external Airbyte connector (real processes)', () => {
  it('maps spec and discover as the Python shim did, with escaped keys and row-id keys', async () => {
    const flow = runtime({});
    const spec = await flow.spec();
    expect(spec.protocol).toBe(3032023);
    expect(spec.resourcePathPointers).toEqual(['/namespace', '/stream']);
    expect(spec.documentationUrl).toBe('https://example.invalid/sample-source');
    expect((spec.resourceConfigSchema as { required: string[] }).required).toEqual(['stream', 'syncMode']);
    const discovered = await flow.discover();
    expect(
      discovered.map((binding) => [binding.recommendedName, binding.key, binding.resourceConfig]),
    ).toEqual([
      ['users', ['/id'], { stream: 'users', syncMode: 'incremental', cursorField: ['updated'] }],
      ['events', ['/_meta/row_id'], { stream: 'events', syncMode: 'full_refresh' }],
      ['orders', ['/order~1id'], { stream: 'orders', syncMode: 'full_refresh', namespace: 'shop' }],
    ]);
    const schema = discovered[0]?.documentSchema as { properties: JsonObject; 'x-infer-schema': boolean };
    expect(schema.properties._meta).toEqual({
      type: 'object',
      properties: { row_id: { type: 'integer' } },
      required: ['row_id'],
    });
    expect(schema['x-infer-schema']).toBe(true);
  });

  it('validates: resource paths, a failed check and unknown streams are refused with typed errors', async () => {
    const bindings = await runtime({}).discoverAndValidate();
    expect(bindings.map((binding) => binding.resourcePath)).toEqual([
      ['users'],
      ['events'],
      ['shop', 'orders'],
    ]);

    const rejected = runtime({ apiKey: 'bad' }).validate([
      { resourceConfig: { stream: 'users', syncMode: 'incremental' } },
    ]);
    await expect(rejected).rejects.toBeInstanceOf(FlowRuntimeError);
    await rejected.catch((error: FlowRuntimeError) => {
      expect(error.exitCode).toBe(1);
      expect(error.lastLogLine).toMatch(
        /^connector failed: \[FLOW_VALIDATION\] connection check failed: apiKey was rejected/,
      );
    });

    const unknown = runtime({}).validate([{ resourceConfig: { stream: 'nope', syncMode: 'full_refresh' } }]);
    await unknown.catch((error: FlowRuntimeError) => {
      expect(error.lastLogLine).toMatch(/\[FLOW_VALIDATION\] stream 'nope' was not found by discovery/);
    });
    await expect(unknown).rejects.toBeInstanceOf(FlowRuntimeError);
  });

  it('captures every stream, checkpoints per binding as merge patches and clears full refresh at the end', async () => {
    const flow = runtime({ users: 4, events: 4, orders: 2 });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.documents.map(label)).toEqual([
      '0:1:1',
      '0:2:2',
      '0:3:3',
      '0:4:4',
      '1:0:1',
      '1:1:2',
      '1:2:3',
      '1:3:4',
      '2:o-0:1',
      '2:o-1:2',
    ]);
    expect(session.checkpoints.every((checkpoint) => checkpoint.mergePatch)).toBe(true);
    // A users STATE only patches the users binding (plus nothing else).
    expect(Object.keys((session.checkpoints[0]?.updated.bindingStateV1 ?? {}) as JsonObject)).toEqual([
      'users',
    ]);
    expect(flow.state).toEqual({
      bindingStateV1: {
        users: {
          rowId: 5,
          state: {
            type: 'STREAM',
            stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 4 } },
          },
        },
      },
    });
    // The next sweep: users are incremental (nothing new), full refresh streams start over at row 1.
    const next = await flow.open(bindings);
    expect(next.documents.map(label)).toEqual(['1:0:1', '1:1:2', '1:2:3', '1:3:4', '2:o-0:1', '2:o-1:2']);
  });

  it('killed after k checkpoints and restarted, yields the rest with nothing twice past the last checkpoint', async () => {
    const flow = runtime({ users: 6, events: 6, orders: 1, stateEvery: 2, pageSize: 2 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 4 });
    expect(first.stoppedByRuntime).toBe(true);
    // users 1-6 (three states) then events page 0 (one state).
    expect(first.documents.map(label)).toEqual([
      '0:1:1',
      '0:2:2',
      '0:3:3',
      '0:4:4',
      '0:5:5',
      '0:6:6',
      '1:0:1',
      '1:1:2',
    ]);
    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    // Resumable full refresh continues at page 1 with the row ids it had reached.
    expect(second.documents.map(label)).toEqual(['1:2:3', '1:3:4', '1:4:5', '1:5:6', '2:o-0:1']);
  });

  it('keeps GLOBAL state: shared state at the top, per-stream parts under each binding', async () => {
    const flow = runtime({ users: 2, events: 2, orders: 0, globalState: true });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings);
    expect(first.failure).toBeUndefined();
    expect(flow.state.airbyteGlobalV1).toEqual({ shared_state: { lsn: 3 } });
    const users = (flow.state.bindingStateV1 as JsonObject).users as JsonObject;
    expect(users.state).toEqual({
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 2 } },
    });
    // Handing it back: the source sees a GLOBAL state with its shared part and reads no users again.
    const second = await flow.open(bindings);
    expect(second.documents.filter((document) => document.binding === 0)).toEqual([]);
    expect(flow.state.airbyteGlobalV1).toEqual({ shared_state: { lsn: 5 } });
  });

  it('compatibility mode writes and resumes the Python shim state layout (mergePatch false)', async () => {
    const pythonState: JsonObject = {
      bindingStateV1: {
        users: {
          state: {
            type: 'STREAM',
            stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 3 } },
          },
          rowId: 4,
        },
      },
    };
    const flow = runtime({ users: 5, events: 2, orders: 0 }, { SHIM_MERGE_PATCH: 'false' }, pythonState);
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.documents.filter((document) => document.binding === 0).map(label)).toEqual([
      '0:4:4',
      '0:5:5',
    ]);
    expect(session.checkpoints.every((checkpoint) => !checkpoint.mergePatch)).toBe(true);
    expect(
      session.checkpoints.every((checkpoint) => Object.keys(checkpoint.updated).join() === 'bindingStateV1'),
    ).toBe(true);
    expect(flow.state).toEqual({
      bindingStateV1: {
        users: {
          state: {
            type: 'STREAM',
            stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 5 } },
          },
          rowId: 6,
        },
      },
    });
  });

  it.each([
    [
      'an invalid JSON line',
      { garbageAfter: 3 },
      /\[FLOW_CONNECTOR_OUTPUT\] connector 'sample-source', stream 'users': stdout line 7 is not a JSON message: "this is not json"/,
    ],
    [
      'a crash mid-read',
      { crashAfter: 3 },
      /\[FLOW_CONNECTOR_EXITED\] connector 'sample-source', stream 'users': exited with code 3; last stderr line: sample source: the upstream API went away/,
    ],
    [
      'a record of an unknown stream',
      { unknownStream: true },
      /\[FLOW_UNKNOWN_STREAM\] connector 'sample-source', stream 'ghost'/,
    ],
  ])(
    'turns %s into a typed error naming connector and stream, keeping committed state',
    async (_label, misbehaviour, message) => {
      const flow = runtime({ users: 6, events: 0, orders: 0, stateEvery: 2, ...misbehaviour });
      const bindings: RuntimeBinding[] = await flow.discoverAndValidate();
      const session = await flow.open(bindings);
      expect(session.exitCode).toBe(1);
      expect(session.failure?.code).toBe('FLOW_RUNTIME_RPC');
      expect(session.logs.at(-1)?.msg).toMatch(message);
      // Whatever was checkpointed before the failure stays: restart resumes from there.
      const committedUsers = session.documents.filter((document) => document.binding === 0).length;
      const cursor = (
        (flow.state.bindingStateV1 as JsonObject | undefined)?.users as
          | { state?: { stream: { stream_state: { cursor: number } } } }
          | undefined
      )?.state?.stream.stream_state.cursor;
      expect(cursor ?? 0).toBe(committedUsers);
    },
  );

  it("with onUnknownStream 'warn', skips records of unbound streams like the Python shim", async () => {
    const flow = runtime(
      { users: 2, events: 0, orders: 0, unknownStream: true },
      { SHIM_UNKNOWN_STREAM: 'warn' },
    );
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.documents.every((document) => document.binding < bindings.length)).toBe(true);
    expect(session.documents.filter((document) => document.binding === 0)).toHaveLength(2);
    expect(session.logs.some((line) => line.level === 'warn' && line.fields?.stream === 'ghost')).toBe(true);
  });
});
