import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInTerminal } from '../__fixtures__/run-in-terminal.js';

// Two processes per run (the harness and the plugin), each compiling TypeScript; the machine is shared.
jest.setTimeout(180_000);

const ESC = String.fromCharCode(27);
const colour = new RegExp(`${ESC}\\[[0-9;]*m`);
const tsRegister = join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');
const bin = join(__dirname, '..', 'bin', 'run-plugin.ts');
const plugin = join(__dirname, '..', '__fixtures__', 'doubling-plugin.ts');
let directory = '';
let args: string[] = [];
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.NO_COLOR;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sdk-harness-progress-'));
  const inputs: string[] = [];
  for (let file = 0; file < 20; file += 1) {
    const rows = Array.from({ length: 100 }, (_, index) => `n${file}-${index},${index}`);
    await writeFile(join(directory, `in-${file}.csv`), `name,value\n${rows.join('\n')}\n`);
    inputs.push('--input', join(directory, `in-${file}.csv`));
  }
  // The plugin process runs TypeScript too: its loader goes through --node-arg.
  args = [
    process.execPath,
    '-r',
    tsRegister,
    bin,
    plugin,
    ...inputs,
    '--node-arg',
    '-r',
    '--node-arg',
    tsRegister,
  ];
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

// The last stdout line says how long the run took; the rest is the same from run to run.
const summaryOf = async (name: string) =>
  (await readFile(join(directory, name), 'utf8')).replace(/completed in \d+ ms/, 'completed in N ms');

describe('sdk-run-plugin progress on stderr', () => {
  it('a terminal gets a live line with an ETA, redrawn, and a summary; --quiet none; NO_COLOR no colour', async () => {
    const out = (name: string) => join(directory, name);
    const live = await runInTerminal(args, { stdout: out('live.out') }, env);
    const quiet = await runInTerminal([...args, '--quiet'], { stdout: out('quiet.out') }, env);
    const plain = await runInTerminal(args, { stdout: out('plain.out') }, { ...env, NO_COLOR: '1' });
    expect([live.code, quiet.code, plain.code]).toEqual([0, 0, 0]);

    expect(live.terminal).toContain('\r');
    expect(live.terminal).toContain(`${ESC}[K`);
    expect(live.terminal).toMatch(colour);
    expect(live.terminal).toMatch(
      /sdk-run-plugin done.*2,000\/2,000 records, [\d,]+ records\/s, 0:\d\d elapsed/,
    );
    expect(quiet.terminal).not.toContain('records/s');
    expect(plain.terminal).toContain(`${ESC}[K`);
    expect(plain.terminal).not.toMatch(colour);

    const summary = await summaryOf('quiet.out');
    expect(summary).toBe('Output: 2000 rows in 20 writes\ncompleted in N ms\n');
    expect(await summaryOf('live.out')).toBe(summary);
    expect(await summaryOf('plain.out')).toBe(summary);
  });

  it('elsewhere: plain lines only, ending with the summary', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(args[0] as string, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^sdk-run-plugin done {2}2,000\/2,000 records, [\d,]+ records\/s, 0:\d\d elapsed$/,
    );
    expect(result.stdout.replace(/completed in \d+ ms/, 'completed in N ms')).toBe(
      await summaryOf('quiet.out'),
    );
  });
});
