import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import type { JsonObject } from '../protocol/flow-specs';
import { FakeFlowRuntime } from '../runtime/fake-flow-runtime';

const shim = fixtureCommand('cdk-shim-connector.ts');

function runtime(config: JsonObject) {
  return new FakeFlowRuntime({ ...shim, config, timeoutMs: 60_000 });
}

type Doc = { binding: number; doc: JsonObject };
const label = ({ binding, doc }: Doc) =>
  `${binding}:${String(doc.id ?? doc.item)}:${(doc._meta as { row_id: number }).row_id}`;

// Each test runs several connector processes; the shared CI machine can be slow.
jest.setTimeout(90_000);

describe('Airbyte shim around an in-process @sdk/stream-cdk Source (real process)', () => {
  it('discovers with the shared mapping and refuses a failing check', async () => {
    const bindings = await runtime({ customers: 3 }).discoverAndValidate();
    expect(bindings.map((binding) => [binding.resourcePath, binding.key])).toEqual([
      [['customers'], ['/id']],
      [['pages'], ['/_meta/row_id']],
    ]);
    const rejected = runtime({ customers: -1 }).validate([
      { resourceConfig: { stream: 'customers', syncMode: 'incremental' } },
    ]);
    await expect(rejected).rejects.toBeInstanceOf(FlowRuntimeError);
    await rejected.catch((error: FlowRuntimeError) => {
      expect(error.lastLogLine).toMatch(
        /\[FLOW_VALIDATION\] connection check failed: customers must not be -1/,
      );
    });
  });

  it('killed after k checkpoints and restarted, yields the remaining documents, none twice', async () => {
    const flow = runtime({ customers: 6, pages: 3, pageSize: 2, stateEvery: 2 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 3 });
    expect(first.stoppedByRuntime).toBe(true);
    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    const all = [...first.documents, ...second.documents];
    const customers = all.filter((document) => document.binding === 0).map((document) => document.doc.id);
    expect(customers).toEqual([1, 2, 3, 4, 5, 6]);
    const pages = all.filter((document) => document.binding === 1).map((document) => document.doc.item);
    expect(pages).toEqual([0, 1, 2, 3, 4, 5]);
    expect(all.filter((document) => document.binding === 1).map(label)).toEqual([
      '1:0:1',
      '1:1:2',
      '1:2:3',
      '1:3:4',
      '1:4:5',
      '1:5:6',
    ]);
    // The finished sweep cleared the full refresh binding; customers keep their cursor.
    const state = flow.state.bindingStateV1 as JsonObject;
    expect(Object.keys(state)).toEqual(['customers']);
  });

  it('a failing stream ends the session with a typed error naming the source and stream', async () => {
    const flow = runtime({ customers: 6, pages: 1, failAt: 4, stateEvery: 2 });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.exitCode).toBe(1);
    expect(session.logs.at(-1)?.msg).toMatch(
      /^connector failed: \[FLOW_CONNECTOR_EXITED\] connector 'cdk-sample', stream '(customers|pages)'/,
    );
    // Exactly the documents covered by the committed cursor survive; nothing past the failure.
    const committed = session.documents
      .filter((document) => document.binding === 0)
      .map((document) => document.doc.id);
    const customers = (flow.state.bindingStateV1 as JsonObject).customers as {
      state: { stream: { stream_state: { updated: number } } };
    };
    const cursor = customers.state.stream.stream_state.updated;
    expect(cursor).toBeLessThan(4);
    expect(committed).toEqual(Array.from({ length: cursor }, (_, index) => index + 1));
  });
});
