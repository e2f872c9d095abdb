import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { toJsonText } from '@sdk/stream-cdk';
import type { ColumnType } from '../column-type';
import { columnTypeOfDuckDbType } from '../column-type';
import { DuckDbSyncError } from '../errors/duckdb-sync-error';
import { RUNS_TABLE, STATE_TABLE } from '../sync-tables';
import { parseExactJson } from './parse-exact-json';
import { quoteIdentifier } from './sql';
import {
  finalValueExpression,
  primaryKeyExpression,
  type StreamColumn,
  type StreamTable,
  stageType,
} from './stream-table';

/** A row waiting for its checkpoint: the stream's columns, then emitted_at (ms), meta JSON, sequence. */
export type StagedRow = unknown[];

/** What the state table holds for one key. */
export interface StoredState {
  readonly syncMode: string | null;
  /** The STATE payload as JSON text (integers exact), or null. */
  readonly stateJson: string | null;
  readonly checkpoint: number;
}

/** The special keys of GLOBAL and LEGACY states in the state table. */
export const GLOBAL_STATE_KEY = '\u0001global';
export const LEGACY_STATE_KEY = '\u0001legacy';

/** Opens a DuckDB file, wrapping DuckDB's errors (a file another process holds, say) in `SYNC_DATABASE`. */
export async function openDatabase(
  dbPath: string,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  try {
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return { instance, connection };
  } catch (error) {
    throw new DuckDbSyncError(
      'SYNC_DATABASE',
      `cannot open the DuckDB file ${dbPath}: ${messageOf(error)} (another process may hold it)`,
      { cause: error },
    );
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The DuckDB side of a sync: tables, staging, checkpoints, the state table and the run log. */
export class SyncStore {
  readonly #connection: DuckDBConnection;
  readonly #runId: string;

  constructor(connection: DuckDBConnection, runId: string) {
    this.#connection = connection;
    this.#runId = runId;
  }

  async #run(sql: string, values?: unknown[]): Promise<void> {
    try {
      await this.#connection.run(sql, values as never);
    } catch (error) {
      throw new DuckDbSyncError('SYNC_DATABASE', `DuckDB refused a statement: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async #rows(sql: string, values?: unknown[]): Promise<unknown[][]> {
    try {
      return (await this.#connection.runAndReadAll(sql, values as never)).getRows() as unknown[][];
    } catch (error) {
      throw new DuckDbSyncError('SYNC_DATABASE', `DuckDB refused a query: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  /** Creates the state table and the run log, and marks runs a kill left `running` as `interrupted`. */
  async prepare(): Promise<void> {
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (stream_key VARCHAR, stream_namespace VARCHAR, stream_name VARCHAR, sync_mode VARCHAR, state JSON, checkpoint BIGINT NOT NULL, updated_at TIMESTAMPTZ)`,
    );
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (run_id VARCHAR, stream VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, records_written BIGINT, duration_ms BIGINT, status VARCHAR, error VARCHAR)`,
    );
    await this.#run(`UPDATE ${RUNS_TABLE} SET status = 'interrupted' WHERE status = 'running'`);
  }

  /** Every stored state by key. */
  async storedStates(): Promise<Map<string, StoredState>> {
    const rows = await this.#rows(
      `SELECT stream_key, sync_mode, state::VARCHAR, checkpoint FROM ${STATE_TABLE}`,
    );
    const result = new Map<string, StoredState>();
    for (const [key, syncMode, stateJson, checkpoint] of rows) {
      result.set(String(key), {
        syncMode: syncMode === null ? null : String(syncMode),
        stateJson: stateJson === null ? null : String(stateJson),
        checkpoint: Number(checkpoint),
      });
    }
    return result;
  }

  /**
   * Creates or updates the stream's table and staging table (new columns added, BIGINT widened where
   * the schema asks for HUGEINT), reads back the column types an earlier sync chose, and drops staged
   * rows no committed checkpoint covers.
   */
  async prepareStream(stream: StreamTable, committedCheckpoint: number, keepStage: boolean): Promise<void> {
    const meta = `${quoteIdentifier('_ab_emitted_at')} TIMESTAMPTZ, ${quoteIdentifier('_ab_run_id')} VARCHAR, ${quoteIdentifier('_ab_meta')} JSON`;
    const stageMeta =
      '_ab_emitted_at BIGINT, _ab_run_id VARCHAR, _ab_meta JSON, _ab_seq BIGINT, _ab_checkpoint BIGINT';
    const existing = await this.#existingColumns(stream.table);
    for (const column of stream.columns) {
      const type = existing.get(column.name.toLowerCase());
      if (type === undefined) continue;
      if (column.type === 'HUGEINT' && type === 'BIGINT') {
        await this.#run(
          `ALTER TABLE ${quoteIdentifier(stream.table)} ALTER COLUMN ${quoteIdentifier(column.name)} TYPE HUGEINT`,
        );
      } else {
        column.type = type;
      }
    }
    const columnsSql = (stage: boolean) =>
      stream.columns.map(
        (column) => `${quoteIdentifier(column.name)} ${stage ? stageType(column.type) : column.type}`,
      );
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(stream.table)} (${[...columnsSql(false), meta].join(', ')})`,
    );
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(stream.stageTable)} (${[...columnsSql(true), stageMeta].join(', ')})`,
    );
    await this.#addMissingColumns(stream.table, stream.columns, false);
    await this.#addMissingColumns(stream.stageTable, stream.columns, true);
    await this.#alignStage(stream);
    if (keepStage) {
      await this.#run(`DELETE FROM ${quoteIdentifier(stream.stageTable)} WHERE _ab_checkpoint > ?`, [
        committedCheckpoint,
      ]);
    } else {
      await this.#run(`DELETE FROM ${quoteIdentifier(stream.stageTable)}`);
    }
  }

  async #existingColumns(table: string): Promise<Map<string, ColumnType>> {
    const rows = await this.#rows(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()',
      [table],
    );
    return new Map(
      rows.map(([name, type]) => [String(name).toLowerCase(), columnTypeOfDuckDbType(String(type))]),
    );
  }

  async #addMissingColumns(table: string, columns: readonly StreamColumn[], stage: boolean): Promise<void> {
    const existing = await this.#existingColumns(table);
    for (const column of columns) {
      if (existing.has(column.name.toLowerCase())) continue;
      await this.#run(
        `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column.name)} ${stage ? stageType(column.type) : column.type}`,
      );
    }
  }

  /** Gives the staging table the stage type of every final column (a column an earlier sync widened, say). */
  async #alignStage(stream: StreamTable): Promise<void> {
    const existing = await this.#existingColumns(stream.stageTable);
    for (const column of stream.columns) {
      const want = stageType(column.type);
      if (existing.get(column.name.toLowerCase()) !== want) {
        await this.#run(
          `ALTER TABLE ${quoteIdentifier(stream.stageTable)} ALTER COLUMN ${quoteIdentifier(column.name)} TYPE ${want}`,
        );
      }
    }
  }

  /** Widens a BIGINT column of the stream (final and staging tables) to HUGEINT. */
  async widenToHugeint(stream: StreamTable, column: StreamColumn): Promise<void> {
    for (const table of [stream.table, stream.stageTable]) {
      await this.#run(
        `ALTER TABLE ${quoteIdentifier(table)} ALTER COLUMN ${quoteIdentifier(column.name)} TYPE HUGEINT`,
      );
    }
    column.type = 'HUGEINT';
  }

  /** Appends rows to the staging table under checkpoint number `checkpoint`. */
  async appendStaged(stream: StreamTable, rows: readonly StagedRow[], checkpoint: number): Promise<void> {
    if (rows.length === 0) return;
    let appender: DuckDBAppender | undefined;
    try {
      appender = await this.#connection.createAppender(stream.stageTable);
      const types = stream.columns.map((column) => stageType(column.type));
      const width = types.length;
      const checkpointValue = BigInt(checkpoint);
      for (const row of rows) {
        for (let index = 0; index < width; index += 1) {
          const value = row[index];
          if (value === null || value === undefined) {
            appender.appendNull();
            continue;
          }
          switch (types[index]) {
            // Safe integers come as numbers: a double holds them exactly and DuckDB casts it to the
            // column's integer type, which spares a BigInt per value.
            case 'BIGINT':
              if (typeof value === 'number') appender.appendDouble(value);
              else appender.appendBigInt(value as bigint);
              break;
            case 'HUGEINT':
              if (typeof value === 'number') appender.appendDouble(value);
              else appender.appendHugeInt(value as bigint);
              break;
            case 'DOUBLE':
              appender.appendDouble(value as number);
              break;
            case 'BOOLEAN':
              appender.appendBoolean(value as boolean);
              break;
            default:
              appender.appendVarchar(value as string);
          }
        }
        appender.appendDouble(row[width] as number); // emitted_at, ms: a safe integer
        appender.appendVarchar(this.#runId);
        const meta = row[width + 1];
        if (meta === null || meta === undefined) appender.appendNull();
        else appender.appendVarchar(meta as string);
        appender.appendDouble(row[width + 2] as number); // sequence
        appender.appendBigInt(checkpointValue);
        appender.endRow();
      }
      appender.closeSync();
      appender = undefined;
    } catch (error) {
      throw new DuckDbSyncError(
        'SYNC_DATABASE',
        `cannot append to ${stream.stageTable}: ${messageOf(error)}`,
        { cause: error },
      );
    } finally {
      appender?.closeSync();
    }
  }

  /**
   * Moves the staged rows into the stream table: appended, or deduplicated on the primary key (newest
   * wins). `stageMayRepeatKeys` false skips the deduplication within the stage (never across the table).
   */
  async moveStaged(stream: StreamTable, replace: boolean, stageMayRepeatKeys = true): Promise<void> {
    const target = quoteIdentifier(stream.table);
    const stage = quoteIdentifier(stream.stageTable);
    const columns = [
      ...stream.columns.map((column) => quoteIdentifier(column.name)),
      ...['_ab_emitted_at', '_ab_run_id', '_ab_meta'].map(quoteIdentifier),
    ];
    const values = [
      ...stream.columns.map((column) => finalValueExpression(column, 's')),
      'to_timestamp(s._ab_emitted_at / 1000.0)',
      's._ab_run_id',
      's._ab_meta',
    ];
    const keys = stream.primaryKey;
    if (replace) await this.#run(`DELETE FROM ${target}`);
    let qualify = '';
    if (keys.length > 0) {
      const stageKeys = keys.map((path) => primaryKeyExpression(stream, path, 's', true));
      if (!replace) {
        const match = keys
          .map(
            (path, index) =>
              `${primaryKeyExpression(stream, path, 't', false)} IS NOT DISTINCT FROM k.k${index}`,
          )
          .join(' AND ');
        const keyList = stageKeys.map((expression, index) => `${expression} AS k${index}`).join(', ');
        await this.#run(
          `DELETE FROM ${target} t WHERE EXISTS (SELECT 1 FROM (SELECT ${keyList} FROM ${stage} s) k WHERE ${match})`,
        );
      }
      // The window is most of the statement's cost; the caller knows when no key repeats in the stage.
      if (stageMayRepeatKeys)
        qualify = ` QUALIFY row_number() OVER (PARTITION BY ${stageKeys.join(', ')} ORDER BY s._ab_checkpoint DESC, s._ab_seq DESC) = 1`;
    }
    await this.#run(
      `INSERT INTO ${target} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${stage} s${qualify}`,
    );
    await this.#run(`DELETE FROM ${stage}`);
  }

  /** Deletes the staged rows of checkpoints after `checkpoint` (rows no committed checkpoint covers). */
  async dropStagedAfter(stream: StreamTable, checkpoint: number): Promise<void> {
    await this.#run(`DELETE FROM ${quoteIdentifier(stream.stageTable)} WHERE _ab_checkpoint > ?`, [
      checkpoint,
    ]);
  }

  /** Writes one state row (`stateJson` null clears the state but keeps the checkpoint count). */
  async saveState(
    key: string,
    stream: { name: string; namespace: string | undefined; syncMode: string } | undefined,
    stateJson: string | null,
    checkpoint: number,
  ): Promise<void> {
    await this.#run(`DELETE FROM ${STATE_TABLE} WHERE stream_key = ?`, [key]);
    await this.#run(`INSERT INTO ${STATE_TABLE} VALUES (?, ?, ?, ?, ?::JSON, ?, now())`, [
      key,
      stream?.namespace ?? null,
      stream?.name ?? null,
      stream?.syncMode ?? null,
      stateJson,
      checkpoint,
    ]);
  }

  async begin(): Promise<void> {
    await this.#run('BEGIN TRANSACTION');
  }

  async commit(): Promise<void> {
    await this.#run('COMMIT');
  }

  async rollback(): Promise<void> {
    try {
      await this.#connection.run('ROLLBACK');
    } catch {
      // Nothing to roll back (the transaction failed to start, or DuckDB aborted it already).
    }
  }

  /** Starts the run log rows of this run, one per stream, status `running`. */
  async logRunStart(streams: readonly StreamTable[]): Promise<void> {
    for (const stream of streams) {
      await this.#run(`INSERT INTO ${RUNS_TABLE} VALUES (?, ?, now(), NULL, 0, NULL, 'running', NULL)`, [
        this.#runId,
        stream.label,
      ]);
    }
  }

  /** Updates the records written of a stream in this run's log (inside the checkpoint's transaction). */
  async logRecordsWritten(stream: StreamTable, recordsWritten: number): Promise<void> {
    await this.#run(`UPDATE ${RUNS_TABLE} SET records_written = ? WHERE run_id = ? AND stream = ?`, [
      recordsWritten,
      this.#runId,
      stream.label,
    ]);
  }

  /** Ends a stream's run log row: `failed` with an error, else `status` (default `succeeded`). */
  async logRunEnd(
    stream: StreamTable,
    recordsWritten: number,
    durationMs: number,
    error: string | undefined,
    status: 'succeeded' | 'stopped' = 'succeeded',
  ): Promise<void> {
    await this.#run(
      `UPDATE ${RUNS_TABLE} SET finished_at = now(), records_written = ?, duration_ms = ?, status = ?, error = ? WHERE run_id = ? AND stream = ?`,
      [
        recordsWritten,
        Math.round(durationMs),
        error === undefined ? status : 'failed',
        error ?? null,
        this.#runId,
        stream.label,
      ],
    );
  }

  /** Row count of each stream table. */
  async countRows(stream: StreamTable): Promise<number> {
    const rows = await this.#rows(`SELECT count(*) FROM ${quoteIdentifier(stream.table)}`);
    return Number(rows[0]?.[0] ?? 0);
  }
}

/** A STATE payload as JSON text with integers exact. */
export function stateToJson(payload: unknown): string {
  return toJsonText(payload);
}

/** A stored STATE payload back as a value (integers beyond 2^53 as bigints). */
export function stateFromJson(text: string): unknown {
  return parseExactJson(text);
}
