import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as orders from './__fixtures__/orders-data-source';
import { queryDatabase } from './query-database';
import { syncDataSource } from './sync-data-source';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-ds-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('syncDataSource', () => {
  it('syncs a DataSource module through the bridge, then continues from its state', async () => {
    const dbPath = join(dir, 'orders.duckdb');
    const bridge = {
      streams: [
        {
          name: 'orders',
          primaryKey: [['id']],
          jsonSchema: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              total: { type: 'integer' },
              placed: { type: 'string', format: 'date-time' },
            },
          },
        },
      ],
    };
    const first = await syncDataSource({
      dbPath,
      module: orders,
      params: { api_key: 'k-123456', count: 10 },
      bridge,
    });
    expect(
      first.streams.map((stream) => [stream.table, stream.recordsCommitted, stream.rowsInTable]),
    ).toEqual([['orders', 10, 10]]);
    const second = await syncDataSource({
      dbPath,
      module: orders,
      params: { api_key: 'k-123456', count: 14 },
      bridge,
    });
    expect(second.streams[0]?.recordsCommitted).toBe(4);
    const result = await queryDatabase(
      dbPath,
      'SELECT count(*), count(DISTINCT id), max(total)::VARCHAR, max(placed)::VARCHAR FROM orders',
    );
    expect(result.rows).toEqual([['14', '14', '130000000000000000', '2026-01-01 00:00:13+00']]);
  });
});
