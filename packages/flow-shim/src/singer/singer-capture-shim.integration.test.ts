import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import type { JsonObject } from '../protocol/flow-specs';
import { FakeFlowRuntime } from '../runtime/fake-flow-runtime';

const shim = fixtureCommand('singer-shim-connector.ts');

function runtime(config: JsonObject, env: Record<string, string> = {}, initialState?: JsonObject) {
  return new FakeFlowRuntime({
    ...shim,
    env,
    config,
    timeoutMs: 60_000,
    ...(initialState ? { initialState } : {}),
  });
}

type Doc = { binding: number; doc: JsonObject };
const label = ({ binding, doc }: Doc) =>
  `${binding}:${String(doc.id ?? doc.line)}:${(doc._meta as { row_id: number }).row_id}`;

// Each test runs several connector processes; the shared CI machine can be slow.
jest.setTimeout(90_000);

describe('Singer shim around a Singer tap executable (real processes)', () => {
  it('maps spec and discover as section 2.3 says', async () => {
    const flow = runtime({});
    const spec = await flow.spec();
    expect(spec.resourcePathPointers).toEqual(['/tap_stream_id']);
    expect(spec.documentationUrl).toBe('https://docs.estuary.dev');
    const discovered = await flow.discover();
    expect(discovered.map((binding) => [binding.recommendedName, binding.key])).toEqual([
      ['customers', ['/id']],
      ['audit_log', ['/_meta/row_id']],
    ]);
    const customers = discovered[0]?.resourceConfig as JsonObject;
    expect(customers.schema).toBeUndefined();
    expect(customers.replication_method).toBe('INCREMENTAL');
    expect(
      (customers.metadata as Array<{ metadata: { selected?: boolean } }>).map(
        (item) => item.metadata.selected,
      ),
    ).toEqual([true, undefined, true]);
    expect((discovered[1]?.documentSchema as { required?: string[] } | undefined)?.required).toEqual([
      '_meta',
    ]);
    const bindings = await flow.discoverAndValidate();
    expect(bindings.map((binding) => binding.resourcePath)).toEqual([['customers'], ['audit_log']]);
  });

  it('refuses an incremental binding without replication key and unknown streams', async () => {
    const flow = runtime({});
    const invalid = flow.validate([
      {
        resourceConfig: {
          tap_stream_id: 'customers',
          stream: 'customers',
          replication_method: 'INCREMENTAL',
        },
      },
      { resourceConfig: { tap_stream_id: 'nope', stream: 'nope', replication_method: 'FULL_TABLE' } },
    ]);
    await expect(invalid).rejects.toBeInstanceOf(FlowRuntimeError);
    await invalid.catch((error: FlowRuntimeError) => {
      expect(error.lastLogLine).toMatch(
        /\[FLOW_VALIDATION\] 2 validation errors: .*without a replication_key.*'nope' was not found/,
      );
    });
  });

  it('captures, checkpoints bookmarks per binding, and resumes after a kill without duplicates', async () => {
    const flow = runtime({ customers: 6, auditLog: 2 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 2 });
    expect(first.documents.map(label)).toEqual(['0:1:1', '0:2:2', '0:3:3', '0:4:4']);
    expect(first.checkpoints.every((checkpoint) => checkpoint.mergePatch)).toBe(true);
    expect(flow.state).toEqual({
      bindingStateV1: {
        customers: { updated_at: 4, replication_key: 'updated_at', 'estuary.dev/rowCounter': 5 },
      },
    });
    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    expect(second.documents.map(label)).toEqual(['0:5:5', '0:6:6', '1:entry 0:1', '1:entry 1:2']);
    // FULL_TABLE row ids restart with the next sweep.
    expect(
      ((flow.state.bindingStateV1 as JsonObject).audit_log as JsonObject)['estuary.dev/rowCounter'],
    ).toBe(1);
  });

  it('compatibility mode round-trips the Python shim state layout', async () => {
    const pythonState: JsonObject = {
      bindingStateV1: { customers: { updated_at: 2, 'estuary.dev/rowCounter': 3 } },
    };
    const flow = runtime({ customers: 4, auditLog: 1 }, { SHIM_MERGE_PATCH: 'false' }, pythonState);
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.documents.map(label)).toEqual(['0:3:3', '0:4:4', '1:entry 0:1']);
    expect(session.checkpoints.every((checkpoint) => !checkpoint.mergePatch)).toBe(true);
    expect(flow.state).toEqual({
      bindingStateV1: {
        customers: { updated_at: 4, replication_key: 'updated_at', 'estuary.dev/rowCounter': 5 },
        audit_log: { version: 1, 'estuary.dev/rowCounter': 1 },
      },
    });
  });

  it('turns a tap crash into a typed error naming the tap and stream, keeping committed bookmarks', async () => {
    const flow = runtime({ customers: 6, crashAfter: 3 });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.exitCode).toBe(1);
    expect(session.logs.at(-1)?.msg).toMatch(
      /\[FLOW_CONNECTOR_EXITED\] connector 'sample-tap', stream 'customers': exited with code 4; last stderr line: singer sample tap: database connection lost/,
    );
    expect(((flow.state.bindingStateV1 as JsonObject).customers as JsonObject).updated_at).toBe(2);
    expect(session.documents).toHaveLength(2);
  });
});
