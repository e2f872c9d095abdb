import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binPath,
  countingSourcePath,
  packageEntry,
  startNode,
  startRunner,
} from '../__fixtures__/child-process';
import { runInTerminal } from '../__fixtures__/run-in-terminal';

// Each run starts a Node process (in a terminal: two); the shared machine can be slow.
jest.setTimeout(180_000);

const ESC = String.fromCharCode(27);
const colour = new RegExp(`${ESC}\\[[0-9;]*m`);
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'datasource-cli-'));
  await writeFile(join(directory, 'empty'), '');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('sdk-datasource-run: help, version and usage errors', () => {
  it.each([[['--help']], [['-h']], [[countingSourcePath, '--help']]])(
    '%j: usage on stdout, exit 0',
    async (args) => {
      const result = await startNode([binPath, ...args]).finished;
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('--quiet');
      if (args.length > 1) expect(result.stdout).toContain('--total');
    },
  );

  it.each([[['--version']], [[countingSourcePath, '--version']]])(
    '%j: the version on stdout, exit 0',
    async (args) => {
      const result = await startNode([binPath, ...args]).finished;
      const manifest = JSON.parse(await readFile(join(__dirname, '..', '..', 'package.json'), 'utf8'));
      expect(result).toMatchObject({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    },
  );

  it.each([
    [['--total', '3', '--nope'], '--nope is not a parameter of this data source (see --help)'],
    [['--total'], '--total needs a value'],
    [['--total', '3', '--quiet=yes'], '--quiet takes no value'],
    [
      ['--total', '3', '--batch-size', 'x', '--output', 'o.jsonl'],
      '--batch-size must be a non-negative integer',
    ],
  ])('%j: one line naming the flag, exit 2', async (args, problem) => {
    const result = await startRunner(args).finished;
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sdk-datasource-run: \[DATASOURCE_INCORRECT_PARAM\] .*; see 'sdk-datasource-run --help'\n$/,
    );
    expect(result.stderr).toContain(problem);
  });

  it('no module file: exit 2 with one line', async () => {
    const result = await startNode([binPath, '--quiet']).finished;
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('the first argument must be the data source module file');
  });
});

describe('sdk-datasource-run progress, in a real terminal and elsewhere', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATASOURCE_PACKAGE_ENTRY: packageEntry };
  delete env.NO_COLOR;
  const args = (name: string, extra: string[] = []) => [
    process.execPath,
    binPath,
    countingSourcePath,
    ...['--output', join(directory, `${name}.jsonl`), '--total', '300', '--batch-size', '10'],
    ...['--delayMs', '15', '--apiToken', 'tok-1', ...extra],
  ];
  const inTerminal = (name: string, extra: string[] = [], environment = env) =>
    runInTerminal(
      args(name, extra),
      { stdin: join(directory, 'empty'), stdout: join(directory, `${name}.out`) },
      environment,
    );
  const read = (file: string) => readFile(join(directory, file), 'utf8');

  it('a terminal gets a bar redrawn in place; --quiet and --progress none no progress; NO_COLOR no colour', async () => {
    const live = await inTerminal('live');
    const quiet = await inTerminal('quiet', ['--quiet']);
    const plain = await inTerminal('plain', [], { ...env, NO_COLOR: '1' });
    expect([live.code, quiet.code, plain.code]).toEqual([0, 0, 0]);

    const redraws = live.terminal.split('\r').filter((part) => part.includes(`${ESC}[K`));
    expect(redraws.length).toBeGreaterThanOrEqual(3);
    expect(live.terminal).toMatch(colour);
    expect(live.terminal).toMatch(
      /\[#{30}\] 300\/300 \(100%\) counting {2}300 records, [\d.]+ KiB, [\d,]+ records\/s, 0:\d\d elapsed/,
    );
    // An ETA while the total is not reached yet.
    expect(live.terminal).toMatch(/\/300 \([1-9]\d?%\) counting {2}\d+ records, .*, ETA \d+:\d\d/);

    expect(quiet.terminal).not.toContain(`${ESC}[K`);
    expect(quiet.terminal).not.toContain('records/s');
    expect(quiet.terminal).toContain('done: 300 records');
    expect(plain.terminal).toContain(`${ESC}[K`);
    expect(plain.terminal).not.toMatch(colour);

    // stdout (the run's JSON summary) and the records are the same whatever stderr is.
    const summary = await read('quiet.out');
    expect(JSON.parse(summary)).toMatchObject({ recordCount: 300, batchCount: 30 });
    expect(await read('live.out')).toBe(summary);
    expect(await read('plain.out')).toBe(summary);
    expect(await read('live.jsonl')).toBe(await read('quiet.jsonl'));
    expect(summary).not.toContain(ESC);
  });

  it('elsewhere: plain progress lines, no escapes; stdout the same', async () => {
    const result = await startNode(args('piped').slice(1)).finished;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toMatch(/^Counting source progress \d+\/300 \(\d+%\) counting {2}\d+ records, /m);
    expect(result.stderr).toMatch(/done: 300 records in 30 batches/);
    expect(result.stdout).toBe(await read('quiet.out'));
  });
});
