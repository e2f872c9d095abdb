import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { queryDatabase } from './query-database';
import { syncFlowCaptureCommand } from './sync-flow-capture-command';

const tsRegister = join(__dirname, '..', '..', '..', 'scripts', 'ts-register.js');
const command = [
  process.execPath,
  '-r',
  tsRegister,
  join(__dirname, '__fixtures__', 'endless-capture-main.ts'),
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-flow-stop-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rows(dbPath: string, sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to 10 s) for the capture's process to be gone. */
async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 10_000 && alive(pid); waited += 50) await sleep(50);
  return !alive(pid);
}

function pidFrom(stderr: readonly string[]): number {
  const line = stderr.find((entry) => entry.startsWith('pid '));
  if (line === undefined) throw new Error(`the capture printed no pid: ${stderr.join(' | ')}`);
  return Number(line.slice(4));
}

describe('syncFlowCaptureCommand with a capture that never exits', () => {
  it('does not take a capture slow to open for an idle one: the idle clock starts at its first response', async () => {
    const dbPath = join(dir, 'slow.duckdb');
    const result = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret', count: 20, open_delay_ms: 2_500 },
      idleTimeoutMs: 1_000,
    });
    expect(result.stopped).toBe(true);
    expect(result.streams.map((stream) => stream.recordsCommitted)).toEqual([20]);
  });

  it('stops once idle with the checkpointed documents committed, drops the rest, and resumes', async () => {
    const dbPath = join(dir, 'endless.duckdb');
    const stderr: string[] = [];
    const first = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret', count: 30, tail: 3 },
      idleTimeoutMs: 1_500,
      // The documents in flight are spilled to the staging table, to be dropped from there.
      maxBufferedRecords: 2,
      onStderr: (line) => stderr.push(line),
    });
    expect(first.stopped).toBe(true);
    expect(
      first.streams.map((stream) => [stream.recordsCommitted, stream.checkpoints, stream.rowsInTable]),
    ).toEqual([[30, 3, 30]]);
    expect(await gone(pidFrom(stderr))).toBe(true);
    // The three documents no checkpoint covered were dropped, not committed without their state.
    expect(await rows(dbPath, 'SELECT count(*), max(seq) FROM ticks')).toEqual([['30', '29']]);
    expect(await rows(dbPath, 'SELECT status, records_written FROM _sync_runs')).toEqual([['stopped', '30']]);
    expect(
      await rows(
        dbPath,
        "SELECT state->>'$.global.shared_state.next' FROM _sync_state WHERE stream_key LIKE '%global'",
      ),
    ).toEqual([['30']]);

    const second = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret', count: 45, tail: 3 },
      idleTimeoutMs: 1_500,
    });
    expect(second.stopped).toBe(true);
    expect(second.streams[0]?.recordsCommitted).toBe(15);
    // Appended (no key): a duplicate or a gap would show.
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM ticks')).toEqual(
      [['45', '45', '0', '44']],
    );
  }, 60_000);

  it('stops on its signal, after the checkpoints committed so far', async () => {
    const dbPath = join(dir, 'endless.duckdb');
    const stop = new AbortController();
    const stderr: string[] = [];
    const syncing = syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret', count: 20, checkpoint_every: 5, tail: 2 },
      signal: stop.signal,
      progressIntervalMs: 0,
      onStderr: (line) => stderr.push(line),
      onProgress: (progress) => {
        if (progress.streams[0]?.recordsCommitted === 20) stop.abort();
      },
    });
    const result = await syncing;
    expect(result.stopped).toBe(true);
    expect(result.streams[0]?.rowsInTable).toBe(20);
    expect(await gone(pidFrom(stderr))).toBe(true);
    expect(await rows(dbPath, 'SELECT count(DISTINCT seq), max(seq) FROM ticks')).toEqual([['20', '19']]);
  }, 60_000);
});
