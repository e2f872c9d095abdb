import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInTerminal } from '../__fixtures__/run-in-terminal';

const fixtures = join(__dirname, '..', '__fixtures__');
// The workspace's shared test tool that lets a child process run TypeScript sources.
const tsRegister = join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');
const ESC = String.fromCharCode(27);
const colour = new RegExp(`${ESC}\\[[0-9;]*m`);

jest.setTimeout(180_000);

describe('read progress on stderr, in a real terminal and elsewhere', () => {
  let dir: string;
  let args: string[];
  const env = { ...process.env };
  delete env.NO_COLOR;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stream-cdk-progress-'));
    const config = join(dir, 'config.json');
    const catalog = join(dir, 'catalog.json');
    writeFileSync(config, JSON.stringify({ api_key: 'k-1', page_count: 20, page_size: 50 }));
    writeFileSync(
      catalog,
      JSON.stringify({
        streams: [
          {
            stream: { name: 'items', json_schema: {}, supported_sync_modes: ['full_refresh'] },
            sync_mode: 'full_refresh',
            destination_sync_mode: 'overwrite',
          },
        ],
      }),
    );
    args = [
      process.execPath,
      '-r',
      tsRegister,
      join(fixtures, 'slow-sample-source-main.ts'),
      'read',
      '--config',
      config,
      '--catalog',
      catalog,
    ];
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // emitted_at is the clock's: the rest of every line is the same from run to run.
  const protocol = (file: string) =>
    readFileSync(file, 'utf8').replace(/"emitted_at":\d+/g, '"emitted_at":0');

  it('a terminal gets one live line, redrawn in colour, and a summary; stdout only messages', async () => {
    const live = await runInTerminal(args, { stdout: join(dir, 'live.jsonl') }, env);
    const quiet = await runInTerminal([...args, '--quiet'], { stdout: join(dir, 'quiet.jsonl') }, env);
    const plain = await runInTerminal(args, { stdout: join(dir, 'plain.jsonl') }, { ...env, NO_COLOR: '1' });
    expect([live.code, quiet.code, plain.code]).toEqual([0, 0, 0]);

    const redraws = live.terminal.split('\r').filter((part) => part.includes(`${ESC}[K`));
    expect(redraws.length).toBeGreaterThanOrEqual(3);
    expect(live.terminal).toMatch(colour);
    expect(live.terminal).toMatch(/done.*1,000 records, [\d.]+ KiB, [\d,]+ records\/s, 0:\d\d elapsed/);
    // Only the summary ends a line: the live line is redrawn, never scrolled.
    expect(live.terminal.split('\n')).toHaveLength(2);

    expect(quiet.terminal).toBe('');
    expect(plain.terminal).toContain(`\r`);
    expect(plain.terminal).toContain(`${ESC}[K`);
    expect(plain.terminal).not.toMatch(colour);

    const messages = protocol(join(dir, 'quiet.jsonl'));
    expect(messages.split('\n').filter((line) => line.includes('"RECORD"'))).toHaveLength(1000);
    expect(protocol(join(dir, 'live.jsonl'))).toBe(messages);
    expect(protocol(join(dir, 'plain.jsonl'))).toBe(messages);
    expect(messages).not.toContain(ESC);
  });

  it('a stderr that is not a terminal gets plain lines only, ending with the summary', async () => {
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
      /^slow-sample-source-main read done {2}1,000 records, [\d.]+ KiB, [\d,]+ records\/s, 0:\d\d elapsed$/,
    );
    expect(result.stdout.replace(/"emitted_at":\d+/g, '"emitted_at":0')).toBe(
      protocol(join(dir, 'quiet.jsonl')),
    );
  });

  it('--help and --version answer on stdout, exit 0; an unknown option exits 2 with one line', async () => {
    const run = (extra: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(args[0] as string, [...args.slice(1, 4), ...extra], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
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
      });
    const help = await run(['--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('usage: slow-sample-source-main spec');
    expect(await run(['--version'])).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
    const unknown = await run(['read', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "slow-sample-source-main: [CDK_CLI_USAGE] unknown option '--bogus'; see 'slow-sample-source-main --help'\n",
    );
    const missing = await run(['check', '--config']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("option '--config' needs a value; see");
  });
});
