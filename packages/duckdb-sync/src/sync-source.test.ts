import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerRecord, type EdgeConfig, EdgeSource } from './__fixtures__/edge-source';
import { SourceFailedError } from './errors/source-failed-error';
import { queryDatabase } from './query-database';
import { syncSource } from './sync-source';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const config = (overrides: Partial<EdgeConfig> = {}): EdgeConfig => ({
  token: 'sekret-token',
  count: 30,
  distinct: 20,
  ...overrides,
});

async function rows(dbPath: string, sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

describe('syncSource', () => {
  it('writes one typed table per stream, deduplicated on the primary key', async () => {
    const dbPath = join(dir, 'edge.duckdb');
    const result = await syncSource({ dbPath, source: new EdgeSource(), config: config() });
    expect(
      result.streams.map((stream) => [stream.table, stream.recordsCommitted, stream.rowsInTable]),
    ).toEqual([
      ['customers', 30, 20],
      ['events', 30, 30],
      ['regions', 3, 3],
    ]);
    const types = await rows(
      dbPath,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customers' ORDER BY ordinal_position",
    );
    expect(Object.fromEntries(types)).toEqual({
      id: 'BIGINT',
      seq: 'BIGINT',
      version: 'BIGINT',
      name: 'VARCHAR',
      big: 'HUGEINT',
      score: 'DOUBLE',
      signup: 'TIMESTAMP WITH TIME ZONE',
      birthday: 'DATE',
      active: 'BOOLEAN',
      tags: 'JSON',
      profile: 'JSON',
      _ab_emitted_at: 'TIMESTAMP WITH TIME ZONE',
      _ab_run_id: 'VARCHAR',
      _ab_meta: 'JSON',
    });
    // Newest record wins: ids 0..9 were sent twice, the second time as version 1.
    const customers = await rows(
      dbPath,
      'SELECT id, version, seq, big::VARCHAR, score::VARCHAR, signup::VARCHAR, birthday::VARCHAR, active, tags, profile FROM customers ORDER BY id',
    );
    expect(customers).toHaveLength(20);
    for (const [id, version, seq, big, score, signup, birthday, active, tags, profile] of customers) {
      const i = Number(seq);
      const expected = customerRecord(i, 20);
      expect([Number(id), Number(version)]).toEqual([expected.id, expected.version]);
      expect(i).toBe(Number(id) < 10 ? Number(id) + 20 : Number(id));
      expect(big).toBe(String(expected.big));
      expect(score).toBe(i % 5 === 0 ? 'nan' : String(i + 0.5));
      // +05:30 read as its instant, shown in UTC.
      expect(signup).toBe(`2026-03-01 04:30:${String(i % 60).padStart(2, '0')}+00`);
      expect(birthday).toBe(String(expected.birthday));
      expect(active).toBe(String(expected.active));
      expect(JSON.parse(profile as string)).toEqual(expected.profile);
      if (i % 3 !== 0) expect(tags).toBe(`["a",null,{"deep":${String(9_007_199_254_740_993n + BigInt(i))}}]`);
    }
    expect(await rows(dbPath, 'SELECT _ab_meta FROM customers WHERE _ab_meta IS NOT NULL')).toEqual([]);
  });

  it('continues incrementally and replaces a full refresh stream', async () => {
    const dbPath = join(dir, 'edge.duckdb');
    await syncSource({ dbPath, source: new EdgeSource(), config: config({ count: 10 }) });
    const second = await syncSource({
      dbPath,
      source: new EdgeSource(),
      config: config({ count: 30, regions_variant: 'b' }),
    });
    expect(second.streams.map((stream) => stream.recordsCommitted)).toEqual([20, 20, 3]);
    expect(
      await rows(dbPath, 'SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events'),
    ).toEqual([['30', '30', '0', '29']]);
    expect(await rows(dbPath, 'SELECT code FROM regions ORDER BY rank')).toEqual([
      ['eu-b'],
      ['us-b'],
      ['ap-b'],
    ]);
    const runs = await rows(
      dbPath,
      'SELECT stream, records_written, status FROM _sync_runs ORDER BY started_at, stream',
    );
    expect(runs).toEqual([
      ['customers', '10', 'succeeded'],
      ['events', '10', 'succeeded'],
      ['regions', '3', 'succeeded'],
      ['customers', '20', 'succeeded'],
      ['events', '20', 'succeeded'],
      ['regions', '3', 'succeeded'],
    ]);
  });

  it('keeps the last checkpoint when the source fails, masks the secret, and resumes exactly', async () => {
    const dbPath = join(dir, 'edge.duckdb');
    const failing = syncSource({
      dbPath,
      source: new EdgeSource(),
      config: config({ fail_at: 25, regions_variant: 'b' }),
    });
    await expect(failing).rejects.toMatchObject({ code: 'SYNC_SOURCE_FAILED', failedStreams: ['customers'] });
    const error = await failing.catch((caught: unknown) => caught);
    expect(SourceFailedError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).not.toContain('sekret-token');
    // Slices of 10: records 0..19 were checkpointed, 20..24 were not.
    expect(await rows(dbPath, 'SELECT count(*), max(seq) FROM customers')).toEqual([['20', '19']]);
    // The full refresh was not swapped in by a failed sync.
    expect(await rows(dbPath, 'SELECT count(*) FROM regions')).toEqual([['0']]);
    const log = await rows(dbPath, 'SELECT stream, status, error FROM _sync_runs ORDER BY stream');
    expect(log[0]?.slice(0, 2)).toEqual(['customers', 'failed']);
    expect(log[0]?.[2]).toContain('****');
    await syncSource({ dbPath, source: new EdgeSource(), config: config() });
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT id), sum(version) FROM customers')).toEqual([
      ['20', '20', '10'],
    ]);
    expect(await rows(dbPath, 'SELECT count(*), count(DISTINCT seq) FROM events')).toEqual([['30', '30']]);
    expect(await rows(dbPath, 'SELECT code FROM regions ORDER BY rank')).toEqual([
      ['eu-a'],
      ['us-a'],
      ['ap-a'],
    ]);
  });
});
