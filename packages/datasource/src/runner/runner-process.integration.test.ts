import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRunner } from '../__fixtures__/child-process';

const SECRET = 'tok-3f9a-never-print-me';

async function lineCount(filePath: string): Promise<number> {
  try {
    return (await readFile(filePath, 'utf8')).split('\n').length - 1;
  } catch {
    return 0;
  }
}

let directory: string;
let running: ChildProcess | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'datasource-process-'));
});

afterEach(async () => {
  if (running !== undefined && running.exitCode === null && running.signalCode === null)
    running.kill('SIGKILL');
  running = undefined;
  await rm(directory, { recursive: true, force: true });
});

describe('sdk-datasource-run', () => {
  it('continues after SIGKILL from the saved state: nothing lost, nothing written twice', async () => {
    const output = join(directory, 'out.jsonl');
    const stateFile = join(directory, 'state.json');
    const total = 600;
    const batchSize = 10;
    const args = [
      '--output',
      output,
      '--state-file',
      stateFile,
      '--batch-size',
      String(batchSize),
      '--total',
      String(total),
      '--delayMs',
      '15',
      '--apiToken',
      SECRET,
      '--progress',
      'lines',
    ];
    const first = startRunner(args);
    running = first.child;
    const deadline = Date.now() + 20_000;
    while ((await lineCount(output)) < 150 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.child.kill('SIGKILL');
    const killed = await first.finished;
    expect(killed.signal).toBe('SIGKILL');
    const savedAtKill = JSON.parse(await readFile(stateFile, 'utf8')).state.next as number;
    expect(savedAtKill).toBeGreaterThan(0);
    expect(savedAtKill).toBeLessThan(total);
    const linesAtKill = await lineCount(output);

    const second = startRunner(args);
    running = second.child;
    const resumed = await second.finished;
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').pop() ?? '{}').state).toEqual({ next: total });

    const ids = (await readFile(output, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    // Exactly once: the resumed run cut off whatever the killed one wrote after its last saved state.
    expect(ids).toEqual(Array.from({ length: total }, (_, index) => index));
    expect(linesAtKill).toBeLessThanOrEqual(savedAtKill + batchSize);

    for (const run of [killed, resumed]) expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(resumed.stderr).toContain('resuming from saved state');
    expect(resumed.stderr).toContain('closed');
  }, 60_000);

  it('prints clear messages for bad params and exits with code 2', async () => {
    const output = join(directory, 'out.jsonl');
    const run = startRunner(['--output', output, '--total', 'lots', '--apiToken', SECRET, '--colour', 'red']);
    running = run.child;
    const result = await run.finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[DATASOURCE_INCORRECT_PARAM]');
    expect(result.stderr).toContain('--colour');
    expect(result.stderr).not.toContain('    at ');
    await expect(stat(output)).rejects.toMatchObject({ code: 'ENOENT' });

    const missing = startRunner(['--output', output, '--total', 'lots']);
    running = missing.child;
    const second = await missing.finished;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('total must be a finite number');
    expect(second.stderr).toContain('apiToken is required');
  }, 30_000);

  it('passes --option and --options-file to the source, masking secrets in the log; destination defaults to type', async () => {
    const output = join(directory, 'out.jsonl');
    const reportPath = join(directory, 'report.json');
    const optionsFile = join(directory, 'options.json');
    await writeFile(
      optionsFile,
      JSON.stringify({ refresh: { client_id: 'from-file', client_secret: 'file-secret-1' }, past_days: '7' }),
    );
    const run = startRunner([
      ...['--output', output, '--total', '3', '--apiToken', SECRET, '--progress', 'none'],
      ...['--options-file', optionsFile, '--option', 'refresh.client_id=from-flag'],
      ...['--option', `reportPath=${reportPath}`, '--option', 'incremental.key=updated_at'],
    ]);
    running = run.child;
    const result = await run.finished;
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath, 'utf8'));
    expect(report.options).toEqual({
      refresh: { client_id: 'from-flag', client_secret: 'file-secret-1' },
      past_days: '7',
      reportPath,
      incremental: { key: 'updated_at' },
    });
    expect(report.destination).toBe('counting');
    expect(result.stderr).toContain('"client_secret":"***"');
    expect(result.stderr).toContain('"client_id":"from-flag"');
    expect(result.stderr).not.toContain('file-secret-1');
    const first = JSON.parse((await readFile(output, 'utf8')).split('\n')[0] as string);
    expect(first.__table).toBe('counting');
  }, 30_000);

  it('refuses malformed options with exit code 2, without echoing them', async () => {
    const optionsFile = join(directory, 'options.json');
    await writeFile(optionsFile, '[1, 2]');
    const base = ['--output', join(directory, 'out.jsonl'), '--total', '3', '--apiToken', SECRET];
    for (const extra of [
      ['--option', '=oops'],
      ['--option', 'refresh=flat-secret-value', '--option', 'refresh.client_id=x'],
      ['--options-file', optionsFile],
      ['--option', 'logger=x'],
    ]) {
      const run = startRunner([...base, ...extra]);
      running = run.child;
      const result = await run.finished;
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('[DATASOURCE_INCORRECT_PARAM]');
      expect(result.stderr).not.toContain('flat-secret-value');
      expect(result.stderr).not.toContain('    at ');
    }
  }, 60_000);

  it.each(['cycle', 'nan'])(
    'stops with [DATASOURCE_INVALID_RECORD] on an unencodable record (%s) and keeps the state before it',
    async (poison) => {
      const output = join(directory, 'out.jsonl');
      const stateFile = join(directory, 'state.json');
      const run = startRunner([
        ...['--output', output, '--state-file', stateFile, '--batch-size', '10', '--total', '50'],
        ...['--apiToken', SECRET, '--poison', poison, '--poisonAt', '23', '--progress', 'none'],
        ...(poison === 'nan' ? ['--non-finite-numbers', 'error'] : []),
      ]);
      running = run.child;
      const result = await run.finished;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('[DATASOURCE_INVALID_RECORD]');
      expect(result.stderr).toContain('record 3 of batch 3');
      expect(result.stderr).not.toContain('    at ');
      expect(JSON.parse(await readFile(stateFile, 'utf8')).state).toEqual({ next: 20 });
      expect(await lineCount(output)).toBe(20);
    },
    30_000,
  );

  it('writes NaN as Python does by default', async () => {
    const output = join(directory, 'out.jsonl');
    const run = startRunner([
      ...['--output', output, '--total', '3', '--apiToken', SECRET, '--poison', 'nan', '--poisonAt', '1'],
    ]);
    running = run.child;
    expect((await run.finished).code).toBe(0);
    expect((await readFile(output, 'utf8')).split('\n')[1]).toBe(
      '{"id":1,"__state":"from-0","value":NaN,"__table":"counting"}',
    );
  }, 30_000);

  it('prints help generated from CONFIG.params', async () => {
    const run = startRunner(['--help']);
    running = run.child;
    const result = await run.finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--total <number>  Records (required)');
    expect(result.stdout).toContain('--apiToken <password>  API token (required, secret)');
    expect(result.stdout).toContain('--state-file');
  }, 30_000);
});
