import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { FlowResponseError } from '../errors/flow-response-error';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import { FakeFlowRuntime } from './fake-flow-runtime';

function runtime(mode: string) {
  return new FakeFlowRuntime({
    ...fixtureCommand('misbehaving-connector.js'),
    env: { MODE: mode },
    timeoutMs: 10_000,
  });
}

const binding = { resourceConfig: { name: 'a' }, resourcePath: ['a'] };

// Each test runs several connector processes; the shared CI machine can be slow.
jest.setTimeout(90_000);

describe('FakeFlowRuntime refuses what the real runtime refuses', () => {
  it.each([
    ['two responses to a unary rpc', 'two-specs', FlowRuntimeError, 'FLOW_RUNTIME_RPC'],
    ['a response of the wrong type', 'discovered-for-spec', FlowRuntimeError, 'FLOW_RUNTIME_RPC'],
    ['a spec with the wrong protocol', 'wrong-protocol', FlowResponseError, 'FLOW_INVALID_RESPONSE'],
    ['a non-zero exit', 'silent-failure', FlowRuntimeError, 'FLOW_RUNTIME_RPC'],
  ])('spec: %s', async (_label, mode, errorClass, code) => {
    const failure = await runtime(mode)
      .spec()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(errorClass);
    expect((failure as FlowRuntimeError).code).toBe(code);
    if (mode === 'silent-failure')
      expect((failure as FlowRuntimeError).lastLogLine).toBe('could not reach the API');
  });

  it.each([
    ['an unknown field in captured', 'unknown-field', '/captured/type'],
    ['captured before opened', 'captured-first', '/captured'],
    ['a partial last line', 'partial-line', ''],
  ])('session: %s', async (_label, mode, path) => {
    const session = await runtime(mode).open([binding]);
    expect(FlowResponseError.isInstance(session.failure)).toBe(true);
    expect((session.failure as FlowResponseError).path).toBe(path);
    expect(session.documents).toEqual([]);
  });

  it('validate: duplicate resource paths', async () => {
    const failure = await runtime('duplicate-paths')
      .validate([{ resourceConfig: { name: 'a' } }, { resourceConfig: { name: 'b' } }])
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(FlowResponseError.isInstance(failure)).toBe(true);
    expect((failure as FlowResponseError).path).toBe('/validated/bindings/1/resourcePath');
  });
});
