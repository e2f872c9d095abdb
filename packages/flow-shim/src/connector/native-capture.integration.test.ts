import { spawnSync } from 'node:child_process';
import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import type { JsonObject } from '../protocol/flow-specs';
import { FakeFlowRuntime, type RuntimeBinding } from '../runtime/fake-flow-runtime';

const connector = fixtureCommand('native-counter-connector.ts', ['--log.level=info', '--some-future-flag']);

function runtime(config: JsonObject) {
  return new FakeFlowRuntime({ ...connector, config, timeoutMs: 60_000 });
}

function ids(documents: Array<{ doc: { id?: unknown } }>): string[] {
  return documents.map(({ doc }) => String(doc.id));
}

// Each test runs several connector processes; the shared CI machine can be slow.
jest.setTimeout(90_000);

describe('native capture through the fake runtime (real process)', () => {
  it('answers spec (also the empty image probe), discover, validate and apply', async () => {
    const flow = runtime({});
    const spec = await flow.spec();
    expect(spec.protocol).toBe(3032023);
    expect((await flow.spec({})).protocol).toBe(3032023);
    const bindings = await flow.discoverAndValidate();
    expect(bindings.map((binding) => binding.resourcePath)).toEqual([['alpha'], ['beta']]);
    expect(await flow.apply(bindings)).toBe('');
  });

  it('a session killed after k checkpoints and restarted yields the rest, nothing twice', async () => {
    const flow = runtime({ documentsPerBinding: 10, checkpointEvery: 3 });
    const bindings: RuntimeBinding[] = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 3 });
    expect(first.failure).toBeUndefined();
    expect(first.stoppedByRuntime).toBe(true);
    expect(first.checkpoints).toHaveLength(3);
    expect(first.checkpoints.every((checkpoint) => checkpoint.mergePatch)).toBe(true);

    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    expect(second.exitCode).toBe(0);
    const all = [...ids(first.documents), ...ids(second.documents)];
    const expected = ['alpha', 'beta'].flatMap((name) =>
      Array.from({ length: 10 }, (_, n) => `${name}-${n}`),
    );
    expect([...all].sort()).toEqual([...expected].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(flow.state).toEqual({ bindingStateV1: { alpha: { offset: 10 }, beta: { offset: 10 } } });

    const third = await flow.open(bindings);
    expect(third.documents).toEqual([]);
    // The fixture prints to stdout with console.log; the runner sent it to stderr instead.
    expect(third.logs.some((line) => line.raw === 'rogue library print')).toBe(true);
  });

  it('stops cleanly on SIGTERM: exit 0, committed state kept, resumable', async () => {
    const flow = runtime({ documentsPerBinding: 30, checkpointEvery: 2, delayMs: 20 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { terminateAfterCheckpoints: 2 });
    expect(first.exitCode).toBe(0);
    expect(first.failure).toBeUndefined();
    const second = await flow.open(bindings);
    const all = [...ids(first.documents), ...ids(second.documents)];
    expect(new Set(all).size).toBe(60);
    expect(all).toHaveLength(60);
  });

  it('honours explicit acknowledgements batched by the runtime', async () => {
    const flow = runtime({ documentsPerBinding: 6, checkpointEvery: 2, explicitAcknowledgements: true });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings, { acknowledgeEvery: 2 });
    expect(session.failure).toBeUndefined();
    expect(session.explicitAcknowledgements).toBe(true);
    expect(session.documents).toHaveLength(12);
    expect(session.acknowledged).toBeGreaterThanOrEqual(4);
  });

  it('reports a failing task as the last log line with a non-zero exit, keeping committed state', async () => {
    const flow = runtime({ documentsPerBinding: 10, checkpointEvery: 2, failAtDocument: 5 });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.exitCode).toBe(1);
    expect(session.failure?.code).toBe('FLOW_RUNTIME_RPC');
    expect(session.logs.at(-1)?.msg).toMatch(
      /^connector failed: \[FLOW_TASK_FAILED\] task 'acmeCo\/(alpha|beta)'/,
    );
    const offsets = flow.state.bindingStateV1 as Record<string, { offset: number }>;
    expect(Object.values(offsets).every(({ offset }) => offset <= 4)).toBe(true);
  });

  it.each([
    ['garbage', 'garbage that is not JSON\n', 'FLOW_INVALID_JSON'],
    ['an unknown request', '{"materialize":{}}\n', 'FLOW_UNKNOWN_REQUEST'],
  ])(
    'a real process fed %s exits 1 with a readable last stderr line and nothing on stdout',
    (_label, input, code) => {
      const result = spawnSync(connector.command, [...(connector.args ?? [])], { input, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(new RegExp(`^connector failed: \\[${code}\\] stdin line 1: `));
      expect(JSON.parse(lines.at(-2) ?? '{}').level).toBe('error');
    },
  );

  it('an exception thrown outside the runner still ends with a readable last line and exit 1', () => {
    const crashing = fixtureCommand('crashing-connector.ts');
    const result = spawnSync(crashing.command, [...(crashing.args ?? [])], {
      input: '{"spec":{}}\n',
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').at(-1)).toBe('connector failed: TypeError: boom from a timer');
  });
});
