import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { customerRecord, type EdgeConfig } from '../__fixtures__/edge-source';
import { queryDatabase } from '../query-database';
import { runDuckDbSyncCli } from './run-duckdb-sync-cli';

// The workspace's shared test tool that lets a child process run TypeScript sources.
const tsRegister = join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');
const bin = join(__dirname, '..', 'bin.ts');
const sourceMain = join(__dirname, '..', '__fixtures__', 'edge-source-main.ts');
const sourceCommand = [process.execPath, '-r', tsRegister, sourceMain];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  /** What it wrote on stderr so far. */
  stderrSoFar: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startCli(args: readonly string[]): Run {
  // Its own process group, so a kill takes the source command down with it, as a crash would.
  const child = spawn(process.execPath, ['-r', tsRegister, bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stderrSoFar: () => stderr, done };
}

function writeConfig(config: EdgeConfig): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

async function rows(dbPath: string, sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

/** The exact tables the fixture source implies for `count` records. */
async function expectTablesEqualSource(dbPath: string, count: number, distinct: number): Promise<void> {
  const customers = await rows(
    dbPath,
    'SELECT id, seq, version, name, big::VARCHAR FROM customers ORDER BY id',
  );
  const expected: string[][] = [];
  for (let id = 0; id < Math.min(distinct, count); id += 1) {
    let last = id;
    while (last + distinct < count) last += distinct;
    const record = customerRecord(last, distinct);
    expected.push([
      String(id),
      String(last),
      String(record.version),
      String(record.name),
      String(record.big),
    ]);
  }
  expect(customers).toEqual(expected);
  expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events')).toEqual([
    [String(count), String(count), '0', String(count - 1)],
  ]);
  expect(await rows(dbPath, 'SELECT code, rank FROM regions ORDER BY rank')).toEqual([
    ['eu-a', '0'],
    ['us-a', '1'],
    ['ap-a', '2'],
  ]);
}

describe('sdk-duckdb-sync', () => {
  it('prints the usage, and exits 2 on unknown options or a missing command', async () => {
    const help = await startCli(['--help']).done;
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('sdk-duckdb-sync sync --db');
    const syncHelp = await startCli(['sync', '-h']).done;
    expect([syncHelp.code, syncHelp.stdout]).toEqual([0, help.stdout]);
    const version = await startCli(['--version']).done;
    expect([version.code, version.stderr]).toEqual([0, '']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    const unknown = await startCli([
      'sync',
      '--db',
      'x.duckdb',
      '--config',
      'c.json',
      '--bogus',
      '--',
      'true',
    ]).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("sdk-duckdb-sync: unknown option '--bogus'; see 'sdk-duckdb-sync --help'\n");
    const missing = await startCli(['query', '--db']).done;
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "sdk-duckdb-sync: option '--db' needs a value; see 'sdk-duckdb-sync --help'\n",
    ]);
    const topLevel = await startCli(['--bogus']).done;
    expect([topLevel.code, topLevel.stderr]).toEqual([
      2,
      "sdk-duckdb-sync: unknown option '--bogus'; see 'sdk-duckdb-sync --help'\n",
    ]);
    const noCommand = await startCli(['sync', '--db', 'x.duckdb', '--config', 'c.json']).done;
    expect(noCommand.code).toBe(2);
    const badProtocol = await startCli([
      'sync',
      '--db',
      'x.duckdb',
      '--config',
      'c.json',
      '--protocol',
      'singer',
      '--',
      'true',
    ]).done;
    expect(badProtocol.code).toBe(2);
    const badQuery = await startCli(['query', '--db', join(dir, 'missing.duckdb'), 'select 1', 'extra']).done;
    expect(badQuery.code).toBe(2);
  }, 60_000);

  it('syncs a source command, masks its secret in a failure, resumes, and queries the file', async () => {
    const dbPath = join(dir, 'edge.duckdb');
    const failing = await startCli([
      'sync',
      '--db',
      dbPath,
      '--config',
      writeConfig({ token: 'sekret-token', count: 60, distinct: 40, fail_at: 45 }),
      '--',
      ...sourceCommand,
    ]).done;
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe('');
    expect(failing.stderr).toContain('[SYNC_SOURCE_FAILED]');
    expect(failing.stderr).toContain('****');
    expect(failing.stderr).not.toContain('sekret-token');
    expect(await rows(dbPath, 'SELECT count(*) FROM events')).toEqual([['60']]);
    expect(await rows(dbPath, 'SELECT max(seq) FROM customers')).toEqual([['39']]);

    const resumed = await startCli([
      'sync',
      '--db',
      dbPath,
      '--config',
      writeConfig({ token: 'sekret-token', count: 60, distinct: 40 }),
      '--streams',
      'customers,regions',
      '--',
      ...sourceCommand,
    ]).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('');
    expect(resumed.stderr).toMatch(/customers \| customers \| 20 /);
    await expectTablesEqualSource(dbPath, 60, 40);

    const query = await startCli(['query', '--db', dbPath, 'select code, rank from regions order by rank'])
      .done;
    expect(query.code).toBe(0);
    expect(query.stdout).toBe('code | rank\n-----+-----\neu-a | 0\nus-a | 1\nap-a | 2\n(3 rows)\n');
  }, 60_000);

  it.each([
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence is what is tested
    [true, /\r\x1b\[K[\d.]+ s, \d+ records, \d+\/s: customers \d+ \(\d+ committed\)/],
    [false, /\nprogress: [\d.]+ s, \d+ records, \d+\/s: customers \d+ \(\d+ committed\), events/],
  ])(
    'prints progress as a live line when stderr is a terminal (%s), else as plain lines',
    async (isTTY, pattern) => {
      let stdout = '';
      let stderr = '';
      const sink = (write: (text: string) => void) =>
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            write(chunk.toString('utf8'));
            done();
          },
        });
      const err = Object.assign(
        sink((text) => {
          stderr += text;
        }),
        { isTTY },
      );
      const configPath = writeConfig({
        token: 'sekret-token',
        count: 200,
        distinct: 150,
        slice_size: 10,
        delay_ms: 5,
      });
      const code = await runDuckDbSyncCli(
        ['sync', '--db', join(dir, 'p.duckdb'), '--config', configPath, '--', ...sourceCommand],
        {
          stdout: sink((text) => {
            stdout += text;
          }),
          stderr: err,
          progressIntervalMs: 0,
        },
      );
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toMatch(pattern);
      expect(stderr).toContain('reading customers, events, regions into');
      expect(stderr).toMatch(/customers \| customers \| 200 +\| 21 +\| 150/);
    },
    60_000,
  );

  it('syncs a Flow capture command with --protocol flow', async () => {
    const dbPath = join(dir, 'flow.duckdb');
    const capture = [
      process.execPath,
      '-r',
      tsRegister,
      join(__dirname, '..', '__fixtures__', 'edge-capture-main.ts'),
    ];
    const configPath = writeConfig({ token: 'sekret-token', count: 60, distinct: 40 });
    const run = await startCli([
      'sync',
      '--db',
      dbPath,
      '--config',
      configPath,
      '--protocol',
      'flow',
      '--streams',
      'customers,events,regions',
      '--',
      ...capture,
    ]).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('sekret-token');
    expect(run.stderr).toMatch(/events +\| events +\| 60 /);
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq) FROM events')).toEqual([['60', '60']]);
    expect(await rows(dbPath, 'SELECT count(*) FROM customers')).toEqual([['40']]);
  }, 60_000);

  it('stops a Flow capture that never exits on SIGTERM, and on --idle-timeout, exiting 0 with its checkpoints', async () => {
    const dbPath = join(dir, 'endless.duckdb');
    const capture = [
      process.execPath,
      '-r',
      tsRegister,
      join(__dirname, '..', '__fixtures__', 'endless-capture-main.ts'),
    ];
    const configPath = join(dir, 'endless.json');
    writeFileSync(configPath, JSON.stringify({ token: 'sekret-token', count: 40, tail: 2 }));
    const args = ['sync', '--db', dbPath, '--config', configPath, '--protocol', 'flow'];
    const first = startCli([...args, '--', ...capture]);
    // The capture prints its pid once the session is open; its 40 documents follow at once.
    for (
      let waited = 0;
      waited < 30_000 && !/source stderr: pid \d+/.test(first.stderrSoFar());
      waited += 100
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('stopped after');
    expect(stopped.stderr).not.toContain('sekret-token');
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), max(seq) FROM ticks')).toEqual([
      ['40', '40', '39'],
    ]);
    writeFileSync(configPath, JSON.stringify({ token: 'sekret-token', count: 55, tail: 2 }));
    const idle = await startCli([...args, '--idle-timeout', '1', '--', ...capture]).done;
    expect(idle.code).toBe(0);
    expect(idle.stderr).toContain('stopped after');
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), max(seq) FROM ticks')).toEqual([
      ['55', '55', '54'],
    ]);
    const usage = await startCli([...args.slice(0, 5), '--idle-timeout', '1', '--', ...capture]).done;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--idle-timeout applies to --protocol flow');
  }, 90_000);

  it('syncs an AMP-style input tool with --protocol amp through SIGKILLs, then continues from its state', async () => {
    const dbPath = join(dir, 'amp.duckdb');
    const tool = [
      process.execPath,
      '-r',
      tsRegister,
      join(__dirname, '..', '__fixtures__', 'edge-input-tool-main.ts'),
    ];
    const configPath = join(dir, 'tool.xml');
    const writeToolConfig = (count: number) =>
      writeFileSync(
        configPath,
        `<Configuration><Config>${JSON.stringify({ count, distinct: 70, int64: true, slice_size: 10, delay_ms: 5 })}</Config><Secret field="token">sekret-token</Secret></Configuration>`,
      );
    writeToolConfig(150);
    const args = [
      'sync',
      '--protocol',
      'amp',
      '--db',
      dbPath,
      '--config',
      configPath,
      '--anchors',
      'customers,events,regions',
      '--primary-key',
      'customers=id',
      '--primary-key',
      'regions=code',
    ];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const run = startCli([...args, '--', ...tool]);
      const delayMs = Math.floor(Math.random() * 2_000);
      let timer: NodeJS.Timeout | undefined;
      run.child.stderr?.on('data', (chunk: Buffer) => {
        if (timer !== undefined || !chunk.toString('utf8').includes('reading customers')) return;
        // The whole group: the CLI and the tool it started, as a crash of the machine would.
        timer = setTimeout(() => {
          if (run.child.pid !== undefined && run.child.exitCode === null)
            process.kill(-run.child.pid, 'SIGKILL');
        }, delayMs);
      });
      const result = await run.done;
      clearTimeout(timer);
      if (result.signal !== 'SIGKILL') expect(result.code).toBe(0);
    }
    const final = await startCli([...args, '--', ...tool]).done;
    expect(final.code).toBe(0);
    expect(final.stderr).not.toContain('sekret-token');
    expect(
      await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events'),
    ).toEqual([['150', '150', '0', '149']]);
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT id), max(seq) FROM customers')).toEqual([
      ['70', '70', '149'],
    ]);
    expect(await rows(dbPath, 'SELECT count(*) FROM regions')).toEqual([['3']]);
    writeToolConfig(180);
    const more = await startCli([...args, '--', ...tool]).done;
    expect(more.code).toBe(0);
    expect(more.stderr).toMatch(/events +\| events +\| 30 /);
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), max(seq) FROM events')).toEqual([
      ['180', '180', '179'],
    ]);
    const usage = await startCli([
      'sync',
      '--db',
      dbPath,
      '--config',
      configPath,
      '--anchors',
      'events',
      '--',
      ...tool,
    ]).done;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--anchors applies to --protocol amp');
  }, 180_000);

  it('refuses a second sync on a file a running sync holds, before starting the source', async () => {
    const dbPath = join(dir, 'locked.duckdb');
    const configPath = writeConfig({
      token: 'sekret-token',
      count: 400,
      distinct: 300,
      slice_size: 10,
      delay_ms: 200,
    });
    const first = startCli(['sync', '--db', dbPath, '--config', configPath, '--', ...sourceCommand]);
    try {
      await new Promise<void>((resolve) => {
        first.child.stderr?.on('data', (chunk: Buffer) => {
          if (chunk.toString('utf8').includes('reading customers')) resolve();
        });
      });
      const second = await startCli(['sync', '--db', dbPath, '--config', configPath, '--', ...sourceCommand])
        .done;
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('[SYNC_DATABASE]');
      expect(second.stderr).not.toContain('reading');
    } finally {
      if (first.child.pid !== undefined) process.kill(-first.child.pid, 'SIGKILL');
      await first.done;
    }
  }, 60_000);

  it('survives SIGKILLs at random points of a sync: the resumed tables equal the source exactly', async () => {
    const dbPath = join(dir, 'soak.duckdb');
    const count = 1_200;
    const distinct = 700;
    const configPath = writeConfig({ token: 'sekret-token', count, distinct, slice_size: 20, delay_ms: 2 });
    const args = ['sync', '--db', dbPath, '--config', configPath, '--', ...sourceCommand];
    let kills = 0;
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const run = startCli(args);
      // A random point of the read (spec and discover come before it and have nothing to lose).
      const delayMs = Math.floor(Math.random() * 2_500);
      let timer: NodeJS.Timeout | undefined;
      run.child.stderr?.on('data', (chunk: Buffer) => {
        if (timer !== undefined || !chunk.toString('utf8').includes('reading customers')) return;
        timer = setTimeout(() => {
          if (run.child.pid !== undefined && run.child.exitCode === null)
            process.kill(-run.child.pid, 'SIGKILL');
        }, delayMs);
      });
      const result = await run.done;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') kills += 1;
      else expect(result.code).toBe(0);
    }
    expect(kills).toBeGreaterThan(0);
    const final = await startCli(args).done;
    expect(final.code).toBe(0);
    await expectTablesEqualSource(dbPath, count, distinct);
    // Every run killed before it finished is in the log, marked by the run after it (a kill can land
    // between a run's last commit and its exit).
    const runs = await rows(
      dbPath,
      "SELECT count(DISTINCT run_id) FROM _sync_runs WHERE status = 'interrupted'",
    );
    expect(Number(runs[0]?.[0])).toBeLessThanOrEqual(kills);
    expect(await rows(dbPath, "SELECT count(*) FROM _sync_runs WHERE status = 'running'")).toEqual([['0']]);
  }, 120_000);
});
