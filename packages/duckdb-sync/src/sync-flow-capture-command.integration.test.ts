import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerRecord } from './__fixtures__/edge-source';
import { queryDatabase } from './query-database';
import { syncFlowCaptureCommand } from './sync-flow-capture-command';

const tsRegister = join(__dirname, '..', '..', '..', 'scripts', 'ts-register.js');
const command = [process.execPath, '-r', tsRegister, join(__dirname, '__fixtures__', 'edge-capture-main.ts')];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-flow-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rows(dbPath: string, sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

describe('syncFlowCaptureCommand', () => {
  it('drives a Flow capture through a session, keyed tables, and resumes from the reduced state', async () => {
    const dbPath = join(dir, 'flow.duckdb');
    const stderr: string[] = [];
    const first = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret-token', count: 30, distinct: 20 },
      streams: ['customers', 'events'],
      onStderr: (line) => stderr.push(line),
    });
    expect(
      first.streams.map((stream) => [stream.table, stream.recordsCommitted, stream.rowsInTable]),
    ).toEqual([
      ['customers', 30, 20],
      ['events', 30, 30],
    ]);
    expect(stderr.join('\n')).not.toContain('sekret-token');
    const customers = await rows(dbPath, 'SELECT id, seq, big::VARCHAR FROM customers ORDER BY id');
    expect(customers[0]).toEqual(['0', '20', String(customerRecord(20, 20).big)]);
    const second = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret-token', count: 50, distinct: 20 },
      streams: ['customers', 'events'],
    });
    expect(second.streams.map((stream) => stream.recordsCommitted)).toEqual([20, 20]);
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq) FROM events')).toEqual([['50', '50']]);
    expect(await rows(dbPath, 'SELECT count(*), min(seq), max(seq) FROM customers')).toEqual([
      ['20', '30', '49'],
    ]);
  }, 60_000);

  it('fails with the capture exit, keeping the committed checkpoints', async () => {
    const dbPath = join(dir, 'flow.duckdb');
    const error = await syncFlowCaptureCommand({
      dbPath,
      command,
      config: { token: 'sekret-token', count: 30, distinct: 20, fail_at: 25 },
      streams: ['customers'],
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SYNC_SOURCE_FAILED' });
    expect(String((error as Error).message)).not.toContain('sekret-token');
    expect(await rows(dbPath, 'SELECT count(*), max(seq) FROM customers')).toEqual([['20', '19']]);
  }, 60_000);
});
