import { randomUUID } from 'node:crypto';
import { type DataRecord, DataSource, type DataSourceOptions, type SourceParams } from '@sdk/datasource';
import type { Client } from 'pg';
import { InvalidStateError } from './errors/invalid-state-error';
import { classifyError, type ErrorPhase } from './internal/classify-error';
import { openClient } from './internal/open-client';
import { destinationTable, planTables, type TablePlan } from './internal/table-catalog';
import { TableCursor } from './internal/table-cursor';
import { parseSourceSettings, type SourceSettings } from './source-settings';
import {
  type KeyValue,
  parseSourcePositions,
  type SourcePositions,
  type TablePosition,
} from './source-state';

// A bigint key (an int8 beyond 2^53) is saved as its exact digits: the state is JSON, and the
// keyset predicate casts it back with `$n::bigint`.
function toKeyValue(value: unknown): KeyValue {
  return typeof value === 'bigint' ? value.toString() : (value as KeyValue);
}

/** The runner's default `read(n)` hint, used when neither it nor `batchSize` is given. */
const DEFAULT_BATCH_SIZE = 1000;

interface OpenTable {
  readonly plan: TablePlan;
  readonly cursor: TableCursor;
  /** Rows of the table counted as loaded before this cursor was opened. */
  readonly loadedBefore: number;
  readonly total: number;
}

/**
 * A PostgreSQL data source in the style of Panoply's own: for each selected table it opens a
 * server-side cursor (`DECLARE ... CURSOR` / `FETCH FORWARD n` in a REPEATABLE READ transaction)
 * ordered by the primary key (after the incremental key, when one is set), returns batches of `n`
 * rows, reports `state(id, { "schema.table": { keys, after, loaded, complete } })` before each batch
 * whose records all carry `__state: id`, and reports `progress(loaded, total, "schema.table")`.
 *
 * Resuming (the runner passes the saved state as `source.state`, which is removed from `source` as
 * Panoply's sources do) continues strictly after the saved key, so no row is lost or repeated beyond
 * the batch whose state was not saved. A table marked `complete` is skipped, unless an incremental
 * key is set: then it is read again from its saved key, which returns only newer rows.
 */
export class PostgresSource extends DataSource {
  readonly #settings: SourceSettings;
  readonly #positions: SourcePositions;
  readonly #where: string;
  #client: Client | undefined;
  #plans: TablePlan[] | undefined;
  #tableIndex = 0;
  #open: OpenTable | undefined;

  constructor(source: SourceParams, options?: DataSourceOptions) {
    super(source, options);
    this.#settings = parseSourceSettings(source);
    this.#positions = parseSourcePositions(source.state);
    // Panoply's Postgres source removes the state so that it is not saved back with the parameters.
    delete this.source.state;
    const { host, port, database } = this.#settings;
    this.#where = `postgres://${host}:${port}/${database}`;
  }

  /** Returns the next batch of up to `batchSize` rows (the `batchSize` param wins), or `null` at the end. */
  async read(batchSize?: number): Promise<DataRecord[] | null> {
    const rowCount = this.#settings.batchSize ?? batchSize ?? DEFAULT_BATCH_SIZE;
    let phase: ErrorPhase = 'connect';
    try {
      const client = await this.#connect();
      phase = 'query';
      this.#plans ??= await planTables(client, this.#settings);
      const plans = this.#plans;
      while (this.#tableIndex < plans.length) {
        const plan = plans[this.#tableIndex] as TablePlan;
        const position = this.#positionOf(plan);
        if (this.#open === undefined) {
          if (position?.complete === true && !plan.incremental) {
            this.#tableIndex++;
            continue;
          }
          this.#open = await this.#openTable(client, plan, position);
        }
        const open = this.#open;
        const batch = await open.cursor.next(rowCount);
        if (batch.rows.length === 0) {
          await this.#closeTable();
          continue;
        }
        return this.#emit(open, position, batch.rows, batch.exhausted);
      }
      return null;
    } catch (error) {
      // A failed connection or transaction is dropped whole; the next read (the runner's retry)
      // reconnects and reopens the cursor after the last row it returned.
      await this.#discardConnection();
      throw classifyError(error, phase, this.#where);
    }
  }

  /** Ends the connection; the runner calls it however the run ends. */
  override async close(): Promise<void> {
    this.#open = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client !== undefined) await client.end();
  }

  #positionOf(plan: TablePlan): TablePosition | undefined {
    const position = this.#positions.get(plan.displayName);
    if (position === undefined) return undefined;
    const keys = plan.orderingColumns.map((column) => column.name);
    if (position.keys.length !== keys.length || position.keys.some((key, index) => key !== keys[index])) {
      throw new InvalidStateError(
        `the saved state of ${plan.displayName} is ordered by (${position.keys.join(', ')}) but the table is now read by (${keys.join(', ')}); remove the state file to read it from the start`,
      );
    }
    return position;
  }

  async #openTable(client: Client, plan: TablePlan, position: TablePosition | undefined): Promise<OpenTable> {
    const loadedBefore = position?.loaded ?? 0;
    // The estimate is for the whole table; -1 means never analysed, and then only a count can tell.
    const estimate = this.#settings.countRows === 'estimate' && plan.estimatedRows >= 0;
    const { cursor, remainingRows } = await TableCursor.open(client, plan, position?.after, !estimate);
    const total =
      remainingRows === undefined
        ? Math.max(Math.round(plan.estimatedRows), loadedBefore)
        : loadedBefore + remainingRows;
    this.progress(loadedBefore, total, plan.displayName);
    return { plan, cursor, loadedBefore, total };
  }

  // COMMIT first: if it fails, the read fails with nothing moved on, and its retry reopens this table.
  async #closeTable(): Promise<void> {
    await this.#open?.cursor.close();
    this.#open = undefined;
    this.#tableIndex++;
  }

  async #emit(
    open: OpenTable,
    previous: TablePosition | undefined,
    rows: readonly Record<string, unknown>[],
    exhausted: boolean,
  ): Promise<DataRecord[]> {
    const { plan } = open;
    const last = rows[rows.length - 1] as Record<string, unknown>;
    // Everything that can fail comes before the position moves: a failed read must leave it as it was.
    if (exhausted) await this.#closeTable();
    const position: TablePosition = {
      keys: plan.orderingColumns.map((column) => column.name),
      after: plan.orderingColumns.map((column) => toKeyValue(last[column.name])),
      loaded: (previous?.loaded ?? 0) + rows.length,
      complete: exhausted,
    };
    this.#positions.set(plan.displayName, position);
    const stateId = randomUUID();
    // State first, then the batch tagged with its id: the runner saves it once the batch is durable.
    this.state(stateId, { [plan.displayName]: position });
    // An estimate can fall behind the rows actually read.
    this.progress(position.loaded, Math.max(open.total, position.loaded), plan.displayName);
    const table = destinationTable(plan, this.#settings.tablePrefix);
    return rows.map((row) => ({ ...row, __table: table, __state: stateId }));
  }

  async #connect(): Promise<Client> {
    if (this.#client !== undefined) return this.#client;
    const client = await openClient(this.#settings, (error) => {
      this.log(`connection error: ${error.message}`);
      if (this.#client === client) {
        this.#client = undefined;
        this.#open = undefined;
      }
    });
    this.#client = client;
    return client;
  }

  async #discardConnection(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#open = undefined;
    await client?.end().catch(() => undefined);
  }
}
