import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { runHarness } from './harness.js';

const fixtures = join(__dirname, '..', '__fixtures__');
// The workspace's shared test tool that lets a child process run TypeScript sources.
const nodeArgs = ['-r', join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js')];
let directory = '';

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sdk-harness-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function harness(args: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runHarness([join(fixtures, 'doubling-plugin.ts'), ...args], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    nodeArgs,
  });
  return { exitCode, stdout, stderr };
}

describe('sdk-run-plugin harness', () => {
  it('runs CSV and JSON lines inputs on two connections into a JSON lines and an Arrow file', async () => {
    await writeFile(join(directory, 'a.csv'), 'name,value\n"Smith, Ada",1.5\nBob,\n"say ""hi""",3\n');
    await writeFile(join(directory, 'b.jsonl'), '{"name":"Cy","value":10}\n\n{"name":"Di","value":-2}\n');
    await writeFile(join(directory, 'config.xml'), '<Configuration><Label>demo</Label></Configuration>');
    const jsonOut = join(directory, 'out.jsonl');
    const arrowOut = join(directory, 'out.arrow');
    const result = await harness([
      '--input',
      join(directory, 'a.csv'),
      '--input',
      join(directory, 'b.jsonl'),
      '--output',
      jsonOut,
      '--config',
      join(directory, 'config.xml'),
    ]);
    expect(result.stderr).toContain('[info] label=demo');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Output: 5 rows in 2 writes');
    const records = (await readFile(jsonOut, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toEqual(
      expect.arrayContaining([
        { name: 'Smith, Ada', value: 1.5, doubled: 3 },
        { name: 'Bob', value: null, doubled: null },
        { name: 'say "hi"', value: 3, doubled: 6 },
        { name: 'Cy', value: 10, doubled: 20 },
        { name: 'Di', value: -2, doubled: -4 },
      ]),
    );
    const second = await harness(['--input', `${join(directory, 'b.jsonl')}@Input#x`, '--output', arrowOut]);
    expect(second.exitCode).toBe(0);
    const table = tableFromIPC(await readFile(arrowOut));
    expect(table.getChild('doubled')?.toArray()).toEqual(Float64Array.from([20, -4]));
  });

  it('reads Arrow IPC input', async () => {
    const input = join(directory, 'in.arrows');
    await writeFile(input, tableToIPC(tableFromArrays({ value: Float64Array.from([1, 2, 3]) }), 'stream'));
    const result = await harness(['--input', input, '--output', join(directory, 'out.jsonl')]);
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(directory, 'out.jsonl'), 'utf8')).toBe(
      '{"value":1,"doubled":2}\n{"value":2,"doubled":4}\n{"value":3,"doubled":6}\n',
    );
  });

  it('exits 1 with a typed message for a malformed input file, without launching anything', async () => {
    await writeFile(join(directory, 'bad.jsonl'), '{"value":1}\nnot json\n');
    const result = await harness(['--input', join(directory, 'bad.jsonl')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('[TRANSPORT_INPUT_FORMAT]');
    expect(result.stderr).toContain('line 2');
  });

  it('hands --node-arg options to the plugin process, in order', async () => {
    const first = join(directory, 'first.cjs');
    const second = join(directory, 'second.cjs');
    await writeFile(first, "process.stderr.write('first preload\\n');\n");
    await writeFile(second, "process.stderr.write('second preload ' + process.execArgv.at(-1) + '\\n');\n");
    const input = join(directory, 'in.jsonl');
    await writeFile(input, '{"value":1}\n');
    const result = await harness([
      '--node-arg',
      `--require=${first}`,
      '--input',
      input,
      '--node-arg',
      '--no-concurrent-marking',
      '--node-arg',
      `--require=${second}`,
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Output: 1 rows in 1 writes');
    const preloads = result.stderr.split('\n').filter((line) => line.includes('preload'));
    expect(preloads).toEqual([
      '[plugin stderr] first preload',
      `[plugin stderr] second preload --require=${second}`,
    ]);
  });

  it('exits 2 with one line when --node-arg has no value', async () => {
    const result = await harness(['--node-arg']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "sdk-run-plugin: [TRANSPORT_CONFIG] option '--node-arg' needs a value; see 'sdk-run-plugin --help'\n",
    );
  });

  it.each([
    [['--nope'], "unknown option '--nope'"],
    [['--quiet=1'], "option '--quiet' takes no value"],
    [['--update-mode', 'sometimes'], "--update-mode must be run, full or quick, got 'sometimes'"],
    [['--timeout-ms', 'soon'], "--timeout-ms must be a positive number, got 'soon'"],
    [['--carrier', 'pigeon'], '--carrier'],
  ])('exits 2 with one line naming the option for %j', async (args, problem) => {
    const result = await harness(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(problem);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('prints the usage for --help and the version for --version, exit 0', async () => {
    const help = await harness(['--help']);
    expect(help).toMatchObject({ exitCode: 0, stderr: '' });
    expect(help.stdout).toContain('usage: sdk-run-plugin <plugin-module> [options]');
    expect(help.stdout).toContain('--quiet');
    let stdout = '';
    const code = await runHarness(['--version'], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => undefined,
      version: '4.5.6',
    });
    expect([code, stdout]).toEqual([0, '4.5.6\n']);
  });
});
