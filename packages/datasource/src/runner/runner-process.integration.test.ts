import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = join(__dirname, '..', '..');
// Built into a private directory, so the test neither needs nor races with the package's own build.
const buildDir = join(tmpdir(), `datasource-process-build-${process.pid}`);
const binPath = join(buildDir, 'bin', 'sdk-datasource-run.js');
const fixturePath = join(packageDir, 'src', '__fixtures__', 'counting-source.js');
const SECRET = 'tok-3f9a-never-print-me';

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startRunner(args: readonly string[]): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [binPath, fixturePath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATASOURCE_PACKAGE_ENTRY: join(buildDir, 'index.js') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

async function lineCount(filePath: string): Promise<number> {
  try {
    return (await readFile(filePath, 'utf8')).split('\n').length - 1;
  } catch {
    return 0;
  }
}

let directory: string;
let running: ChildProcess | undefined;

beforeAll(() => {
  // The runner is spawned from compiled JavaScript, exactly as users run it.
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      ...[
        '-p',
        'tsconfig.build.json',
        '--outDir',
        buildDir,
        '--composite',
        'false',
        '--incremental',
        'false',
      ],
      ...['--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'],
    ],
    { cwd: packageDir },
  );
}, 120_000);

afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

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
  it('continues after SIGKILL from the saved state: nothing lost, duplicates only past the last saved batch', async () => {
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
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    // Nothing lost.
    for (let id = 0; id < total; id++) expect(counts.get(id) ?? 0).toBeGreaterThanOrEqual(1);
    // Written twice only for the one batch after the last saved state, if the kill fell between
    // writing it and saving its state.
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
    expect(duplicated.length).toBeLessThanOrEqual(batchSize);
    for (const id of duplicated) {
      expect(id).toBeGreaterThanOrEqual(savedAtKill);
      expect(id).toBeLessThan(savedAtKill + batchSize);
    }
    expect(ids.length).toBe(total + duplicated.length);
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
