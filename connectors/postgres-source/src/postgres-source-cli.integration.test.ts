import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRunner, spawnRunner, waitForRunner } from './__fixtures__/run-cli';
import { createTestDatabase, READER_PASSWORD, TEMPLATE_ROWS, testServer } from './__fixtures__/test-server';

let workDir: string;
let database: string;

beforeAll(async () => {
  database = await createTestDatabase();
});

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'postgres-source-cli-'));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function connectionFlags(overrides: Record<string, string> = {}): string[] {
  const server = testServer();
  const flags: Record<string, string> = {
    host: server.host,
    port: String(server.port),
    database,
    user: server.user,
    password: server.password,
    ...overrides,
  };
  return Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value]);
}

async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function readSavedState(
  path: string,
): Promise<Record<string, { after: number[]; loaded: number; complete: boolean }> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')).state;
  } catch {
    return undefined;
  }
}

test('sdk-datasource-run reads the tables into a JSON-lines file, with progress, state file and no password in the logs', async () => {
  const output = join(workDir, 'out.jsonl');
  const stateFile = join(workDir, 'state.json');
  const result = await runRunner([
    '--output',
    output,
    '--state-file',
    stateFile,
    '--batch-size',
    '1000',
    '--progress',
    'lines',
    ...connectionFlags({ tables: 'order_lines, sales.regions' }),
  ]);
  expect(result.stderr).not.toContain(testServer().password);
  expect(result.exitCode).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').pop() as string);
  expect(summary.recordCount).toBe(TEMPLATE_ROWS.orderLines + 3);
  expect(summary.batchCount).toBe(TEMPLATE_ROWS.orderLines / 1000 + 1);
  const records = await readJsonLines(output);
  expect(records).toHaveLength(TEMPLATE_ROWS.orderLines + 3);
  expect(result.stderr).toMatch(/progress 3000\/3000 \(100%\) public\.order_lines/);
  expect(result.stderr).toMatch(/progress 3\/3 \(100%\) sales\.regions/);
  expect(await readSavedState(stateFile)).toMatchObject({
    'public.order_lines': { complete: true, loaded: TEMPLATE_ROWS.orderLines },
    'sales.regions': { complete: true, after: ['na'], loaded: 3 },
  });
});

test('a run killed midway and restarted with its state file loses nothing and repeats nothing', async () => {
  const output = join(workDir, 'out.jsonl');
  const stateFile = join(workDir, 'state.json');
  const batchSize = 50;
  const args = [
    '--output',
    output,
    '--state-file',
    stateFile,
    '--batch-size',
    String(batchSize),
    '--progress',
    'none',
    ...connectionFlags({ tables: 'customers' }),
  ];
  const child = spawnRunner(args);
  const finished = waitForRunner(child);
  // Kill as soon as a few batches are saved: SIGKILL gives the runner no chance to clean up.
  let savedAtKill: Awaited<ReturnType<typeof readSavedState>>;
  for (;;) {
    savedAtKill = await readSavedState(stateFile);
    if ((savedAtKill?.['public.customers']?.loaded ?? 0) >= 1000) break;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  const killed = await finished;
  expect(killed.signal).toBe('SIGKILL');
  const savedAfterKill = await readSavedState(stateFile);
  const lastSaved = savedAfterKill?.['public.customers'];
  expect(lastSaved?.complete).toBe(false);
  const lastSavedId = lastSaved?.after[0] as number;
  expect(lastSavedId).toBeLessThan(TEMPLATE_ROWS.customers);
  const beforeResume = (await readJsonLines(output)).map((record) => record.id as number);
  expect((await stat(output)).size).toBeGreaterThan(0);

  const resumed = await runRunner(args);
  expect(resumed.exitCode).toBe(0);
  expect(resumed.stderr).toContain('resuming from saved state');

  const ids = (await readJsonLines(output)).map((record) => record.id as number);
  const expected = Array.from({ length: TEMPLATE_ROWS.customers }, (_, index) => index + 1);
  // Exactly once: the resumed run cut off what the killed one wrote after its last saved state.
  expect(ids).toEqual(expected);
  expect(resumed.stderr).toMatch(/cut \d+ bytes a killed run wrote|resuming from saved state/);
  expect(beforeResume.every((id) => id <= lastSavedId + batchSize)).toBe(true);
  const final = await readSavedState(stateFile);
  expect(final?.['public.customers']).toMatchObject({ complete: true, loaded: TEMPLATE_ROWS.customers });
});

test('bad parameters exit with code 2 and name the flag', async () => {
  const result = await runRunner([
    '--output',
    join(workDir, 'out.jsonl'),
    ...connectionFlags({ port: '70000', tables: 'customers,' }),
  ]);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('--port');
  expect(result.stderr).toContain('[DATASOURCE_INCORRECT_PARAM]');
});

test('an authentication failure exits with code 1 after one attempt, naming the error code', async () => {
  const result = await runRunner([
    '--output',
    join(workDir, 'out.jsonl'),
    '--max-read-attempts',
    '4',
    ...connectionFlags({ user: 'reader', password: `${READER_PASSWORD}-wrong` }),
  ]);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain('[POSTGRES_AUTH_FAILED]');
  expect(result.stderr).not.toContain('retrying');
  expect(result.stderr).not.toContain(`${READER_PASSWORD}-wrong`);
});

test('a missing table exits with code 1 and names it', async () => {
  const result = await runRunner([
    '--output',
    join(workDir, 'out.jsonl'),
    ...connectionFlags({ tables: 'ghost' }),
  ]);
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain('[POSTGRES_TABLE_NOT_FOUND]');
  expect(result.stderr).toContain('public.ghost');
});
