import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerRecord } from './__fixtures__/edge-source';
import { queryDatabase } from './query-database';
import { syncAmpInputTool } from './sync-amp-input-tool';

const tsRegister = join(__dirname, '..', '..', '..', 'scripts', 'ts-register.js');
const command = [
  process.execPath,
  '-r',
  tsRegister,
  join(__dirname, '__fixtures__', 'edge-input-tool-main.ts'),
];
const anchors = ['customers', 'events', 'regions'];
const primaryKeys = { customers: ['id'], regions: ['code'] };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-amp-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rows(dbPath: string, sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

/** The tool configuration: the source's config, its token as an engine-encrypted secret. */
function toolConfig(config: Record<string, unknown>): string {
  return `<Configuration><Config>${JSON.stringify({ ...config, int64: true })}</Config><Secret field="token">sekret-token</Secret></Configuration>`;
}

/** The tables equal what the fixture source holds for `count` records (customers keep each id's last). */
async function expectTablesEqualSource(dbPath: string, count: number, distinct: number): Promise<void> {
  const customers = await rows(
    dbPath,
    "SELECT id, seq, version, name, big::VARCHAR, CASE WHEN isnan(score) THEN 'NaN' ELSE score::VARCHAR END, epoch_ms(signup)::VARCHAR, birthday::VARCHAR, active FROM customers ORDER BY id",
  );
  const expected: string[][] = [];
  for (let id = 0; id < Math.min(distinct, count); id += 1) {
    let last = id;
    while (last + distinct < count) last += distinct;
    const record = customerRecord(last, distinct, true);
    expected.push([
      String(id),
      String(last),
      String(record.version),
      String(record.name),
      String(record.big),
      record.score === 'NaN' ? 'NaN' : String(record.score),
      String(Date.parse(String(record.signup))),
      String(record.birthday),
      String(record.active),
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

describe('syncAmpInputTool', () => {
  it('syncs each anchor into a table typed from its Arrow schema, then continues from the tool state', async () => {
    const dbPath = join(dir, 'amp.duckdb');
    const logs: string[] = [];
    const first = await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 30, distinct: 20 }),
      anchors,
      primaryKeys,
      onLog: (level, message) => logs.push(`${level} ${message}`),
    });
    expect(
      first.streams.map((stream) => [stream.table, stream.recordsCommitted, stream.rowsInTable]),
    ).toEqual([
      ['customers', 30, 20],
      ['events', 30, 30],
      ['regions', 3, 3],
    ]);
    expect(logs).toContain('INFO customers: 30 records');
    await expectTablesEqualSource(dbPath, 30, 20);
    expect(
      await rows(
        dbPath,
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customers' AND column_name IN ('id', 'big', 'score', 'signup', 'birthday', 'active', 'name') ORDER BY column_name",
      ),
    ).toEqual([
      ['active', 'BOOLEAN'],
      ['big', 'BIGINT'],
      ['birthday', 'DATE'],
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['score', 'DOUBLE'],
      ['signup', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    // The tool state is in the file, without the configuration's secret.
    const stored = await rows(dbPath, 'SELECT state::VARCHAR FROM _sync_state WHERE state IS NOT NULL');
    expect(stored.join()).toContain('stream_state');
    expect(stored.join()).not.toContain('sekret-token');

    const second = await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 45, distinct: 20 }),
      anchors,
      primaryKeys,
    });
    // Only what came after the stored state (regions is a full refresh, deduplicated on its code).
    expect(second.streams.map((stream) => stream.recordsCommitted)).toEqual([15, 15, 3]);
    await expectTablesEqualSource(dbPath, 45, 20);
    expect(await rows(dbPath, 'SELECT DISTINCT status FROM _sync_runs')).toEqual([['succeeded']]);
  }, 120_000);

  it('commits nothing of a failed run, masks the secret, and the next run continues from the last state', async () => {
    const dbPath = join(dir, 'amp.duckdb');
    await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 20, distinct: 20 }),
      anchors,
      primaryKeys,
    });
    const error = await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 40, distinct: 20, fail_at: 25 }),
      anchors,
      primaryKeys,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SYNC_SOURCE_FAILED' });
    expect(String((error as Error).message)).toContain('the customers API is down');
    expect(String((error as Error).message)).not.toContain('sekret-token');
    await expectTablesEqualSource(dbPath, 20, 20);
    await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 40, distinct: 20 }),
      anchors,
      primaryKeys,
    });
    await expectTablesEqualSource(dbPath, 40, 20);
  }, 120_000);

  it('loses nothing when the tool process is killed mid-run: the next sync equals the source', async () => {
    const dbPath = join(dir, 'amp.duckdb');
    let pid: number | undefined;
    let killed = false;
    const error = await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 200, distinct: 50, hold_at: 100 }),
      anchors,
      primaryKeys,
      maxBufferedRecords: 16,
      progressIntervalMs: 0,
      onStderr: (line) => {
        if (line.startsWith('pid ')) pid = Number(line.slice(4));
      },
      onProgress: (progress) => {
        if (!killed && pid !== undefined && progress.streams.some((stream) => stream.recordsRead >= 40)) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    }).catch((caught: unknown) => caught);
    expect(killed).toBe(true);
    expect(error).toMatchObject({ code: 'SYNC_SOURCE_FAILED' });
    expect(await rows(dbPath, 'SELECT count(*) FROM customers')).toEqual([['0']]);
    expect(await rows(dbPath, 'SELECT status FROM _sync_runs ORDER BY stream')).toEqual([
      ['failed'],
      ['failed'],
      ['failed'],
    ]);
    await syncAmpInputTool({
      dbPath,
      command,
      configXml: toolConfig({ count: 200, distinct: 50 }),
      anchors,
      primaryKeys,
    });
    await expectTablesEqualSource(dbPath, 200, 50);
  }, 120_000);
});
