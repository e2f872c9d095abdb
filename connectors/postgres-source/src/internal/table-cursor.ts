import type { Client } from 'pg';
import type { KeyValue } from '../source-state';
import { quoteIdentifier, quoteTableName } from './sql-identifiers';
import type { TablePlan } from './table-catalog';

/** One batch taken from the cursor. */
export interface CursorBatch {
  readonly rows: readonly Record<string, unknown>[];
  /** No row is left after this batch. */
  readonly exhausted: boolean;
}

const CURSOR_NAME = 'sdk_postgres_source_cursor';

function keysetPredicate(plan: TablePlan, after: readonly KeyValue[] | undefined): string {
  if (after === undefined) return '';
  const columns = plan.orderingColumns.map((column) => quoteIdentifier(column.name)).join(', ');
  const values = plan.orderingColumns.map((column, index) => `$${index + 1}::${column.sqlType}`).join(', ');
  // A row comparison: lexicographic over the ordering columns, and served by their btree index.
  return ` WHERE (${columns}) > (${values})`;
}

/**
 * A server-side cursor over one table, inside a REPEATABLE READ, READ ONLY transaction so that the
 * count and every FETCH see one snapshot. Rows come in ordering-key order, strictly after `after`.
 * One row is read ahead so the batch that ends the table is known to be the last one.
 */
export class TableCursor {
  readonly #client: Client;
  readonly #lookahead: Record<string, unknown>[] = [];
  #exhausted = false;
  #open = true;

  private constructor(client: Client) {
    this.#client = client;
  }

  /**
   * Opens the transaction and the cursor. With `countRows`, also counts the rows left in the snapshot
   * (one extra scan); `remainingRows` is `undefined` otherwise.
   */
  static async open(
    client: Client,
    plan: TablePlan,
    after: readonly KeyValue[] | undefined,
    countRows: boolean,
  ): Promise<{ cursor: TableCursor; remainingRows: number | undefined }> {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const cursor = new TableCursor(client);
    const from = `${quoteTableName(plan.table)}${keysetPredicate(plan, after)}`;
    const parameters = after === undefined ? [] : [...after];
    let remainingRows: number | undefined;
    if (countRows) {
      const counted = await client.query<{ count: number }>(
        `SELECT count(*)::float8 AS count FROM ${from}`,
        parameters,
      );
      remainingRows = counted.rows[0]?.count ?? 0;
    }
    const orderBy = plan.orderingColumns.map((column) => quoteIdentifier(column.name)).join(', ');
    await client.query(
      `DECLARE ${CURSOR_NAME} NO SCROLL CURSOR FOR SELECT * FROM ${from} ORDER BY ${orderBy}`,
      parameters,
    );
    return { cursor, remainingRows };
  }

  /** Returns up to `rowCount` rows; `exhausted` is true on the batch that ends the table. */
  async next(rowCount: number): Promise<CursorBatch> {
    const wanted = rowCount + 1 - this.#lookahead.length;
    if (!this.#exhausted && wanted > 0) {
      const result = await this.#client.query(`FETCH FORWARD ${wanted} FROM ${CURSOR_NAME}`);
      if (result.rows.length < wanted) this.#exhausted = true;
      this.#lookahead.push(...result.rows);
    }
    const rows = this.#lookahead.splice(0, rowCount);
    return { rows, exhausted: this.#exhausted && this.#lookahead.length === 0 };
  }

  /** Closes the cursor and ends the (read-only) transaction. */
  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#client.query('COMMIT');
  }
}
