import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInTerminal } from '../__fixtures__/run-in-terminal';
import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import type { JsonObject } from '../protocol/flow-specs';
import { FakeFlowRuntime, type RuntimeBinding } from '../runtime/fake-flow-runtime';

// Two processes per run (the shim and the wrapped source); the shared machine can be slow.
jest.setTimeout(180_000);

const ESC = String.fromCharCode(27);
const colour = new RegExp(`${ESC}\\[[0-9;]*m`);
const wrapped = ['node', path.join(__dirname, '..', '__fixtures__', 'airbyte-sample-source.js')];
const config = { apiKey: 'good', users: 2000, stateEvery: 100 };

describe('flow-shim progress on stderr, in a real terminal and elsewhere', () => {
  let dir: string;
  let requests: string;
  const shim = (flags: string[] = []) => {
    const { command, args } = fixtureCommand(path.join('..', 'bin', 'flow-shim.ts'), [
      'airbyte',
      ...flags,
      '--',
      ...wrapped,
    ]);
    return [command, ...args];
  };
  const env = { ...process.env };
  delete env.NO_COLOR;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flow-shim-progress-'));
    const [command, ...args] = shim();
    const runtime = new FakeFlowRuntime({ command: command as string, args, config, timeoutMs: 90_000 });
    const bindings = (await runtime.discoverAndValidate()).slice(0, 1);
    // The open request the runtime itself would send (its capture spec is built by a private method).
    const capture = (
      runtime as unknown as { captureSpec(b: readonly RuntimeBinding[]): JsonObject }
    ).captureSpec(bindings);
    const open = {
      capture,
      version: 'fake',
      range: { keyEnd: 0xffffffff, rClockEnd: 0xffffffff },
      state: {},
    };
    requests = path.join(dir, 'requests.jsonl');
    writeFileSync(requests, `${JSON.stringify({ open })}\n`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const stdoutOf = (name: string) => readFileSync(path.join(dir, name), 'utf8');

  it('a terminal gets a live line, redrawn, and a summary; --quiet none; NO_COLOR no colour', async () => {
    const live = await runInTerminal(shim(), { stdin: requests, stdout: path.join(dir, 'live.jsonl') }, env);
    const quiet = await runInTerminal(
      shim(['--quiet']),
      { stdin: requests, stdout: path.join(dir, 'quiet.jsonl') },
      env,
    );
    const plain = await runInTerminal(
      shim(),
      { stdin: requests, stdout: path.join(dir, 'plain.jsonl') },
      { ...env, NO_COLOR: '1' },
    );
    expect([live.code, quiet.code, plain.code]).toEqual([0, 0, 0]);

    expect(live.terminal).toContain('\r');
    expect(live.terminal).toContain(`${ESC}[K`);
    expect(live.terminal).toMatch(colour);
    expect(live.terminal).toMatch(/flow-shim airbyte done.*2,000 records, [\d.]+ KiB, [\d,]+ records\/s/);
    // The JSON log lines still reach the terminal, each on a line of its own: the live line is erased first.
    expect(live.terminal).toContain(`\r${ESC}[K{"ts":`);
    expect(live.terminal).toContain('"msg":"capture session finished"');

    expect(quiet.terminal).not.toContain('records/s');
    expect(quiet.terminal).not.toContain(`${ESC}[K`);
    expect(quiet.terminal).toContain('"msg":"capture session finished"');
    expect(plain.terminal).toContain(`${ESC}[K`);
    expect(plain.terminal).not.toMatch(colour);

    const protocol = stdoutOf('quiet.jsonl');
    expect(protocol.split('\n').filter((line) => line.startsWith('{"captured"'))).toHaveLength(2000);
    expect(stdoutOf('live.jsonl')).toBe(protocol);
    expect(stdoutOf('plain.jsonl')).toBe(protocol);
  });

  it('elsewhere the progress is an info log line; stdout is the same protocol', () => {
    const [command, ...args] = shim();
    const result = spawnSync(command as string, args, {
      input: readFileSync(requests),
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr).not.toContain('\r');
    const logs = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(logs.at(-1)?.level).toBe('info');
    expect(logs.at(-1)?.msg).toMatch(
      /^flow-shim airbyte done {2}2,000 records, [\d.]+ KiB, [\d,]+ records\/s, 0:\d\d elapsed$/,
    );
    expect(result.stdout).toBe(stdoutOf('quiet.jsonl'));
  });

  it('--version prints the version; a missing value exits 2 with one line', () => {
    const run = (args: string[]) => {
      const { command, args: full } = fixtureCommand(path.join('..', 'bin', 'flow-shim.ts'), args);
      return spawnSync(command, full, { encoding: 'utf8', input: '', timeout: 60_000 });
    };
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    const missing = run(['airbyte', '--name']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      "flow-shim: [FLOW_CLI_USAGE] option '--name' needs a value; see 'flow-shim --help'\n",
    );
  });
});
