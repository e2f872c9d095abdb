import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import type { JsonObject } from '../protocol/flow-specs';
import { type CommittedDocument, FakeFlowRuntime } from '../runtime/fake-flow-runtime';
import { parseFlowShimCli } from './flow-shim-cli';

// The `flow-shim` command (src/bin/flow-shim.ts, run from source like every spawned fixture) driven by
// the fake Flow runtime, one process per RPC and session as Flow runs a local connector. Wrapped:
// - an Airbyte executable: the package's sample @sdk/stream-cdk source run as its Airbyte CLI
//   (cdk-sample-source-cli.ts); the connectors' http-api-source is not used because a published
//   package's tests may not depend on the workspace's private connectors (layers), and the plain-Node
//   airbyte-sample-source.js for its unknown-stream fault;
// - a Singer tap written in Python (singer-sample-tap.py), run with the machine's python3.

// Every RPC starts two processes (the shim and the connector); the shared machine can be slow.
jest.setTimeout(180_000);

const fixtures = path.join(__dirname, '..', '__fixtures__');
const cdkSource = fixtureCommand('cdk-sample-source-cli.ts');
const pythonTap = ['python3', path.join(fixtures, 'singer-sample-tap.py')];

function shim(args: string[]): { command: string; args: string[] } {
  return fixtureCommand(path.join('..', 'bin', 'flow-shim.ts'), args);
}

function airbyte(flags: string[], config: JsonObject, wrapped = [cdkSource.command, ...cdkSource.args]) {
  return new FakeFlowRuntime({ ...shim(['airbyte', ...flags, '--', ...wrapped]), config, timeoutMs: 90_000 });
}

function singer(flags: string[], config: JsonObject) {
  return new FakeFlowRuntime({
    ...shim(['singer', '--name', 'tap-python-sample', ...flags, '--', ...pythonTap]),
    config,
    timeoutMs: 90_000,
  });
}

const idsOf = (documents: CommittedDocument[], binding: number) =>
  documents.filter((document) => document.binding === binding).map((document) => document.doc.id);
const requiredOf = (schema: unknown) => (schema as { required?: string[] }).required;

describe('flow-shim airbyte -- <Airbyte executable>', () => {
  it("answers spec from the wrapped connector's spec, discovers required keys, validates and applies", async () => {
    const flow = airbyte([], {});
    const spec = await flow.spec();
    expect(spec.configSchema).toEqual({ type: 'object', properties: { customers: { type: 'integer' } } });
    expect(spec.documentationUrl).toBe('https://example.invalid/cdk-sample');
    expect(spec.resourcePathPointers).toEqual(['/namespace', '/stream']);
    const bindings = await flow.discoverAndValidate();
    expect(
      bindings.map((binding) => [binding.resourcePath, binding.key, requiredOf(binding.writeSchema)]),
    ).toEqual([
      [['customers'], ['/id'], ['id']],
      [['pages'], ['/_meta/row_id'], ['_meta']],
    ]);
    expect(await flow.apply(bindings)).toBe('');
  });

  it('captures, is killed after two commits, and resumes from the checkpoints without duplicates', async () => {
    const flow = airbyte([], { customers: 7, stateEvery: 2, pages: 2, pageSize: 2 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 2 });
    expect(first.stoppedByRuntime).toBe(true);
    expect(first.checkpoints.every((checkpoint) => checkpoint.mergePatch)).toBe(true);
    expect(idsOf(first.documents, 0)).toEqual([1, 2, 3, 4]);
    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    expect(second.exitCode).toBe(0);
    expect(idsOf(second.documents, 0)).toEqual([5, 6, 7]);
    expect(
      second.documents.filter((document) => document.binding === 1).map((document) => document.doc.item),
    ).toEqual([0, 1, 2, 3]);
  });

  it('--checkpoints replace and --explicit-acknowledgements: full states, every checkpoint acknowledged', async () => {
    const flow = airbyte(['--checkpoints', 'replace', '--explicit-acknowledgements'], {
      customers: 4,
      pages: 1,
    });
    const bindings = await flow.discoverAndValidate();
    const session = await flow.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.explicitAcknowledgements).toBe(true);
    expect(session.checkpoints.length).toBeGreaterThan(1);
    expect(session.acknowledged).toBe(session.checkpoints.length);
    expect(session.checkpoints.every((checkpoint) => !checkpoint.mergePatch)).toBe(true);
    expect(idsOf(session.documents, 0)).toEqual([1, 2, 3, 4]);
    expect(
      ((flow.state.bindingStateV1 as JsonObject).customers as { state: { stream: JsonObject } }).state.stream,
    ).toMatchObject({ stream_descriptor: { name: 'customers' }, stream_state: { updated: 4 } });
  });

  it('--explicit-acknowledgements: a stop while a checkpoint waits for its acknowledgement ends at once', async () => {
    const flow = airbyte(['--explicit-acknowledgements'], { customers: 6, stateEvery: 2 });
    const bindings = (await flow.discoverAndValidate()).slice(0, 1);
    // No acknowledgement is ever sent; SIGTERM after the first checkpoint.
    const session = await flow.open(bindings, { acknowledgeEvery: 1_000, terminateAfterCheckpoints: 1 });
    expect(session.stoppedByRuntime).toBe(true);
    expect(session.exitCode).toBe(0);
    expect(session.checkpoints).toHaveLength(1);
    expect(session.acknowledged).toBe(0);
    expect(session.logs.some((log) => log.msg.includes('received SIGTERM'))).toBe(true);
    // It stopped because the wait ended, not because the runner's shutdown timeout gave up on it.
    expect(session.logs.some((log) => log.msg.includes('did not stop in time'))).toBe(false);
    expect(
      session.logs.some((log) => log.msg === 'capture stopped' || log.msg === 'capture session finished'),
    ).toBe(true);
  });

  it('a source whose stream fails: exit 1, the error as last stderr line, resumed from its last state', async () => {
    const failing = airbyte([], { customers: 8, stateEvery: 2, failAt: 4 });
    // Only `customers`: the source would go on to read `pages` after the failed stream.
    const bindings = (await failing.discoverAndValidate()).slice(0, 1);
    const session = await failing.open(bindings);
    expect(session.exitCode).toBe(1);
    expect(FlowRuntimeError.isInstance(session.failure)).toBe(true);
    // The source's last stderr line is its progress summary (stream-cdk's read prints one on stderr).
    expect(session.logs.at(-1)?.msg).toMatch(
      /^connector failed: \[FLOW_CONNECTOR_EXITED\] connector 'node', stream 'customers': exited with code 1; last stderr line: cdk-sample-source-cli read failed {2}3 records, .* \(the connector reported: .*customers/,
    );
    // The stream-cdk source checkpoints what it read before giving up (STATE updated: 3).
    expect(idsOf(session.documents, 0)).toEqual([1, 2, 3]);
    const resumed = airbyte([], { customers: 8, stateEvery: 2 });
    resumed.state = failing.state;
    const next = await resumed.open(bindings);
    expect(next.failure).toBeUndefined();
    expect(idsOf(next.documents, 0)).toEqual([4, 5, 6, 7, 8]);
  });

  it('an executable that exits non-zero mid-way: records after its last STATE are not committed', async () => {
    const wrapped = ['node', path.join(fixtures, 'airbyte-sample-source.js')];
    const failing = airbyte(
      ['--name', 'sample-source'],
      { apiKey: 'good', users: 9, stateEvery: 2, crashAfter: 3 },
      wrapped,
    );
    const bindings = (await failing.discoverAndValidate()).slice(0, 1);
    const session = await failing.open(bindings);
    expect(session.exitCode).toBe(1);
    // A partial or malformed stdout line would have made this a FlowResponseError.
    expect(FlowRuntimeError.isInstance(session.failure)).toBe(true);
    expect(session.logs.at(-1)?.msg).toBe(
      "connector failed: [FLOW_CONNECTOR_EXITED] connector 'sample-source', stream 'users': exited with code 3; last stderr line: sample source: the upstream API went away",
    );
    // Users 1 and 2 were checkpointed; user 3 was read after that STATE and is not committed.
    expect(idsOf(session.documents, 0)).toEqual([1, 2]);
    const resumed = airbyte([], { apiKey: 'good', users: 9, stateEvery: 2 }, wrapped);
    resumed.state = failing.state;
    const next = await resumed.open(bindings);
    expect(next.failure).toBeUndefined();
    expect(idsOf(next.documents, 0)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a key Flow cannot use at discover, or keys it by row id with --invalid-key row-id', async () => {
    const failure = await airbyte(['--name', 'cdk-sample'], { idType: 'number' })
      .discover()
      .catch((error: unknown) => error);
    expect(FlowRuntimeError.isInstance(failure)).toBe(true);
    expect((failure as FlowRuntimeError).exitCode).toBe(1);
    expect((failure as FlowRuntimeError).lastLogLine).toMatch(
      /^connector failed: \[FLOW_INVALID_KEY\] stream 'customers', key '\/id' \(type number\)/,
    );
    const discovered = await airbyte(['--invalid-key', 'row-id'], { idType: 'number' }).discover();
    expect(discovered.map((binding) => binding.key)).toEqual([['/_meta/row_id'], ['/_meta/row_id']]);
  });

  it('--unknown-stream: fail (default) stops with FLOW_UNKNOWN_STREAM, warn skips the stream', async () => {
    const wrapped = ['node', path.join(fixtures, 'airbyte-sample-source.js')];
    const config = { apiKey: 'good', users: 2, events: 0, orders: 0, unknownStream: true };
    const strict = airbyte(['--name', 'sample-source'], config, wrapped);
    const bindings = await strict.discoverAndValidate();
    const failed = await strict.open(bindings);
    expect(failed.exitCode).toBe(1);
    expect(failed.logs.at(-1)?.msg).toMatch(
      /\[FLOW_UNKNOWN_STREAM\] connector 'sample-source', stream 'ghost'/,
    );
    const lenient = airbyte(['--unknown-stream', 'warn'], config, wrapped);
    const session = await lenient.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(idsOf(session.documents, 0)).toEqual([1, 2]);
    expect(session.logs.some((log) => log.level === 'warn' && log.fields?.stream === 'ghost')).toBe(true);
  });
});

describe('flow-shim singer -- python3 <tap>', () => {
  it('answers spec with --config-schema or --about, and discovers required keys', async () => {
    const schema = {
      type: 'object',
      properties: { customers: { type: 'integer' } },
      required: ['customers'],
    };
    expect((await singer(['--config-schema', JSON.stringify(schema)], {}).spec()).configSchema).toEqual(
      schema,
    );
    const about = await singer(['--about'], {}).spec();
    expect(about.configSchema).toMatchObject({
      properties: { customers: { type: 'integer' }, auditLog: {} },
    });
    expect(about.resourcePathPointers).toEqual(['/tap_stream_id']);
    const bindings = await singer([], {}).discoverAndValidate();
    expect(
      bindings.map((binding) => [binding.resourcePath, binding.key, requiredOf(binding.writeSchema)]),
    ).toEqual([
      [['customers'], ['/id'], ['_meta', 'id']],
      [['audit_log'], ['/_meta/row_id'], ['_meta']],
    ]);
  });

  it('captures, is killed, and resumes from the bookmarks without duplicates', async () => {
    const flow = singer([], { customers: 8, auditLog: 2 });
    const bindings = await flow.discoverAndValidate();
    const first = await flow.open(bindings, { killAfterCheckpoints: 1 });
    expect(idsOf(first.documents, 0)).toEqual([1, 2, 3]);
    const second = await flow.open(bindings);
    expect(second.failure).toBeUndefined();
    expect(idsOf(second.documents, 0)).toEqual([4, 5, 6, 7, 8]);
    expect(second.documents.filter((document) => document.binding === 1)).toHaveLength(2);
    expect((flow.state.bindingStateV1 as JsonObject).customers).toEqual({
      updated_at: 8,
      'estuary.dev/rowCounter': 9,
    });
  });

  it('a tap that exits non-zero mid-way: exit 1, its last stderr line, nothing partial committed', async () => {
    const failing = singer([], { customers: 9, crashAfter: 4 });
    const bindings = await failing.discoverAndValidate();
    const session = await failing.open(bindings);
    expect(session.exitCode).toBe(1);
    // A partial or malformed stdout line would have made this a FlowResponseError.
    expect(FlowRuntimeError.isInstance(session.failure)).toBe(true);
    expect(session.logs.at(-1)?.msg).toBe(
      "connector failed: [FLOW_CONNECTOR_EXITED] connector 'tap-python-sample', stream 'customers': exited with code 3; last stderr line: python sample tap: upstream API closed the connection",
    );
    // Record 4 came after the last STATE: read, never committed.
    expect(idsOf(session.documents, 0)).toEqual([1, 2, 3]);
    expect((failing.state.bindingStateV1 as JsonObject).customers).toEqual({
      updated_at: 3,
      'estuary.dev/rowCounter': 4,
    });
    const resumed = singer([], { customers: 9 });
    resumed.state = failing.state;
    const next = await resumed.open(bindings);
    expect(next.failure).toBeUndefined();
    expect(idsOf(next.documents, 0)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('--checkpoints replace writes the Python flow_sdk layout; a number key is refused at discover', async () => {
    const flow = singer(['--checkpoints', 'replace'], { customers: 3, auditLog: 1 });
    const session = await flow.open(await flow.discoverAndValidate());
    expect(session.failure).toBeUndefined();
    expect(session.checkpoints.every((checkpoint) => !checkpoint.mergePatch)).toBe(true);
    expect(flow.state).toEqual({
      bindingStateV1: {
        customers: { updated_at: 3, 'estuary.dev/rowCounter': 4 },
        audit_log: { version: 1, 'estuary.dev/rowCounter': 1 },
      },
    });
    const failure = await singer([], { idType: 'number' })
      .discover()
      .catch((error: unknown) => error);
    expect((failure as FlowRuntimeError).lastLogLine).toMatch(
      /\[FLOW_INVALID_KEY\] stream 'customers', key '\/id' \(type number\)/,
    );
  });
});

describe('flags that reach the wrapped process (parsed, then driven in this process)', () => {
  const airbyteSource = path.join(fixtures, 'airbyte-sample-source.js');
  const run = (argv: string[]) => {
    const command = parseFlowShimCli(argv);
    if (command.kind !== 'run') throw new Error('expected a runnable command');
    return command;
  };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flow-shim-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--documentation-url, --oauth2 (file) and --no-schema-inference reach spec and discover', async () => {
    const oauth2 = { provider: 'acme', authUrlTemplate: 'https://acme.invalid/auth' };
    writeFileSync(path.join(dir, 'oauth2.json'), JSON.stringify(oauth2));
    const { connector } = run([
      'airbyte',
      '--documentation-url',
      'https://docs.invalid/x',
      '--oauth2',
      path.join(dir, 'oauth2.json'),
      '--no-schema-inference',
      '--',
      process.execPath,
      airbyteSource,
    ]);
    const flow = new FakeFlowRuntime({ connector, config: { apiKey: 'good' } });
    const spec = await flow.spec();
    expect(spec.documentationUrl).toBe('https://docs.invalid/x');
    expect(spec.oauth2).toEqual(oauth2);
    const discovered = await flow.discover();
    expect(
      discovered.every((binding) => (binding.documentSchema as JsonObject)['x-infer-schema'] === undefined),
    ).toBe(true);
  });

  it('--env and --cwd reach the wrapped process', async () => {
    const script = `process.stdout.write(JSON.stringify({type:'SPEC',spec:{documentationUrl:process.env.DOCS_FROM_ENV+'|'+process.cwd(),connectionSpecification:{}}})+'\\n')`;
    const { connector } = run([
      'airbyte',
      '--env',
      'DOCS_FROM_ENV=https://env.invalid',
      '--cwd',
      dir,
      '--',
      process.execPath,
      '-e',
      script,
    ]);
    // The shim's own documentationUrl option and $DOCS_URL come first; neither is set here.
    const previous = process.env.DOCS_URL;
    delete process.env.DOCS_URL;
    try {
      const spec = await new FakeFlowRuntime({ connector }).spec();
      expect(spec.documentationUrl).toBe(`https://env.invalid|${dir}`);
    } finally {
      if (previous !== undefined) process.env.DOCS_URL = previous;
    }
  });

  it('--invalid-line warn skips a garbage line that fails the default capture', async () => {
    const config = { apiKey: 'good', users: 3, events: 0, orders: 0, garbageAfter: 1 };
    const strict = new FakeFlowRuntime({
      connector: run(['airbyte', '--', process.execPath, airbyteSource]).connector,
      config,
    });
    const bindings = (await strict.discoverAndValidate()).slice(0, 1);
    const failed = await strict.open(bindings);
    expect(failed.exitCode).toBe(1);
    expect(failed.logs.at(-1)?.msg).toContain('[FLOW_CONNECTOR_OUTPUT]');
    const lenient = new FakeFlowRuntime({
      connector: run(['airbyte', '--invalid-line', 'warn', '--', process.execPath, airbyteSource]).connector,
      config,
    });
    const session = await lenient.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(session.documents.map((document) => document.doc.id)).toEqual([1, 2, 3]);
  });

  it('--max-line-bytes bounds the lines read from the connector', async () => {
    const { connector } = run(['airbyte', '--max-line-bytes', '64', '--', process.execPath, airbyteSource]);
    const failure = await new FakeFlowRuntime({ connector }).spec().catch((error: unknown) => error);
    expect(FlowRuntimeError.isInstance(failure)).toBe(true);
    expect((failure as FlowRuntimeError).lastLogLine).toContain('[FLOW_CONNECTOR_OUTPUT]');
  });
});

describe('flow-shim command line', () => {
  const run = (args: string[]) => {
    const { command, args: fullArgs } = shim(args);
    return spawnSync(command, fullArgs, { encoding: 'utf8', input: '', timeout: 60_000 });
  };

  it('--help prints the usage and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('flow-shim airbyte [options] -- <command> [args...]');
    expect(result.stdout).toContain('--explicit-acknowledgements');
  });

  it.each([
    [['airbyte', '--bogus', '--', 'x'], "unknown option '--bogus'"],
    [
      ['airbyte', '--checkpoints', 'sometimes', '--', 'x'],
      '--checkpoints must be one of merge-patch, replace',
    ],
    [['airbyte'], "give the connector's command after '--'"],
    [['kafka', '--', 'x'], "unknown connector kind 'kafka'"],
    [['airbyte', '--config-schema', '{}', '--', 'x'], '--config-schema and --about are for Singer taps'],
  ])('refuses %j with exit code 2 and a FLOW_CLI_USAGE line', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`flow-shim: [FLOW_CLI_USAGE] ${message}`);
  });
});
