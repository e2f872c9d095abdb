import type { Client } from 'pg';
import { InvalidIncrementalKeyError } from '../errors/invalid-incremental-key-error';
import { NoPrimaryKeyError } from '../errors/no-primary-key-error';
import { TableNotFoundError } from '../errors/table-not-found-error';
import { displayTableName, type TableName } from './sql-identifiers';

/** A column used to order rows, with its SQL type for casting saved key values back. */
export interface OrderingColumn {
  readonly name: string;
  readonly sqlType: string;
}

/** A table to read, with everything the cursor query needs. */
export interface TablePlan {
  readonly table: TableName;
  /** `schema.table`: the state key and the progress message. */
  readonly displayName: string;
  readonly oid: number;
  /** The planner's row estimate (`pg_class.reltuples`), -1 when the table was never analysed. */
  readonly estimatedRows: number;
  /** Incremental key first (when set), then the primary key columns in index order. */
  readonly orderingColumns: readonly OrderingColumn[];
  /** The primary key columns in index order. */
  readonly primaryKey: readonly OrderingColumn[];
  readonly incremental: boolean;
}

interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  estimated_rows: number;
}

async function findRelations(client: Client, tables: readonly TableName[] | undefined, schema: string) {
  if (tables === undefined) {
    const result = await client.query<RelationRow>(
      `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS estimated_rows
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname`,
      [schema],
    );
    if (result.rows.length === 0) {
      throw new TableNotFoundError(`schema "${schema}" has no tables (or does not exist)`, [`${schema}.*`]);
    }
    return result.rows;
  }
  const result = await client.query<RelationRow>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS estimated_rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [tables.map((table) => table.schema), tables.map((table) => table.name)],
  );
  const byName = new Map(result.rows.map((row) => [`${row.schema}.${row.name}`, row]));
  const missing = tables.map(displayTableName).filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new TableNotFoundError(`no such table: ${missing.join(', ')}`, missing);
  }
  // Keep the order the user gave.
  return tables.map((table) => byName.get(displayTableName(table)) as RelationRow);
}

async function primaryKeyColumns(client: Client, oid: number): Promise<OrderingColumn[]> {
  const result = await client.query<{ name: string; sql_type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type
       FROM pg_index i
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary
      ORDER BY k.position`,
    [oid],
  );
  return result.rows.map((row) => ({ name: row.name, sqlType: row.sql_type }));
}

async function incrementalColumn(client: Client, oid: number, column: string, table: string) {
  const result = await client.query<{ sql_type: string; not_null: boolean }>(
    `SELECT format_type(atttypid, atttypmod) AS sql_type, attnotnull AS not_null
       FROM pg_attribute WHERE attrelid = $1 AND attname = $2 AND attnum > 0 AND NOT attisdropped`,
    [oid, column],
  );
  const row = result.rows[0];
  if (row === undefined) {
    throw new InvalidIncrementalKeyError(`table ${table} has no column "${column}" (incrementalKey)`);
  }
  if (!row.not_null) {
    throw new InvalidIncrementalKeyError(
      `column "${column}" of ${table} is nullable; an incremental key must be NOT NULL, or rows with NULL would be skipped`,
    );
  }
  return { name: column, sqlType: row.sql_type };
}

/**
 * Resolves the selected tables and how to order each: the primary key, preceded by the incremental
 * key when one is configured. Throws typed errors for missing tables, tables without a primary key
 * and unusable incremental keys, listing the problem precisely.
 */
export async function planTables(
  client: Client,
  selection: { tables: readonly TableName[] | undefined; schema: string; incrementalKey: string | undefined },
): Promise<TablePlan[]> {
  const relations = await findRelations(client, selection.tables, selection.schema);
  const plans: TablePlan[] = [];
  for (const relation of relations) {
    const table = { schema: relation.schema, name: relation.name };
    const displayName = displayTableName(table);
    const primaryKey = await primaryKeyColumns(client, relation.oid);
    if (primaryKey.length === 0) {
      throw new NoPrimaryKeyError(
        `table ${displayName} has no primary key; rows need a unique, stable order to be read in batches and resumed`,
      );
    }
    let orderingColumns = primaryKey;
    if (selection.incrementalKey !== undefined) {
      const key = await incrementalColumn(client, relation.oid, selection.incrementalKey, displayName);
      orderingColumns = [key, ...primaryKey.filter((column) => column.name !== key.name)];
    }
    plans.push({
      table,
      displayName,
      oid: relation.oid,
      estimatedRows: relation.estimated_rows,
      orderingColumns,
      primaryKey,
      incremental: selection.incrementalKey !== undefined,
    });
  }
  return plans;
}

/**
 * The table a plan's rows are written to: `tablePrefix` + the table name, with the schema in front
 * (`schema_table`) for tables outside `public`.
 */
export function destinationTable(plan: TablePlan, tablePrefix: string): string {
  const { schema, name } = plan.table;
  return `${tablePrefix}${schema === 'public' ? name : `${schema}_${name}`}`;
}
