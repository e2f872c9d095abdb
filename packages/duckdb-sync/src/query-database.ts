import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { messageOf } from './internal/sync-store';

/** Result of {@link queryDatabase}: column names and every value as display text (`NULL` for null). */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Runs one SQL statement on a DuckDB file opened read-only (so it never changes a synced file) and
 * returns its result as text. Timestamps are shown in UTC. Fails with `SYNC_DATABASE` for a file that
 * cannot be opened or a statement DuckDB refuses.
 */
export async function queryDatabase(dbPath: string, sql: string): Promise<QueryResult> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  } catch (error) {
    throw new DuckDbSyncError('SYNC_DATABASE', `cannot open the DuckDB file ${dbPath}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const reader = await connection.runAndReadAll(sql);
    const rows = reader.getRows().map((row) => row.map((value) => (value === null ? 'NULL' : String(value))));
    return { columns: reader.columnNames(), rows };
  } catch (error) {
    throw new DuckDbSyncError('SYNC_DATABASE', `the query failed: ${messageOf(error)}`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A query result as an aligned text table (a header, a rule, one line per row, then the row count). */
export function formatTable(result: QueryResult): string {
  const widths = result.columns.map((name, index) =>
    Math.max(name.length, ...result.rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join(' | ')
      .trimEnd();
  const out = [line(result.columns), widths.map((width) => '-'.repeat(width)).join('-+-')];
  for (const row of result.rows) out.push(line(row));
  out.push(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}
