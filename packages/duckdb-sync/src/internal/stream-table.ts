import type { ConfiguredAirbyteStream } from '@sdk/stream-cdk';
import { type ColumnType, columnTypeForJsonSchema } from '../column-type';
import { DuckDbSyncError } from '../errors/duckdb-sync-error';
import { STAGE_TABLE_PREFIX } from '../sync-tables';
import { quoteIdentifier, quoteLiteral } from './sql';

/** One column of a stream table; `type` may widen (BIGINT to HUGEINT) during a sync. */
export interface StreamColumn {
  readonly name: string;
  type: ColumnType;
}

/** What the sync knows about one configured stream. */
export interface StreamTable {
  readonly key: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** `namespace.name`, or `name`. */
  readonly label: string;
  readonly table: string;
  readonly stageTable: string;
  readonly syncMode: 'full_refresh' | 'incremental';
  readonly primaryKey: readonly (readonly string[])[];
  readonly columns: StreamColumn[];
  readonly columnIndex: Map<string, number>;
}

/** The key of a stream descriptor in maps and in the state table. */
export function streamKey(name: string, namespace: string | null | undefined): string {
  return namespace ? `${namespace}\u0000${name}` : name;
}

const RESERVED = /^_(?:ab|sync)_/i;

/** Plans the table of every configured stream, refusing names DuckDB cannot keep apart. */
export function planStreamTables(streams: readonly ConfiguredAirbyteStream[]): StreamTable[] {
  const tables = new Map<string, string>();
  return streams.map((configured) => {
    const name = configured.stream.name;
    const namespace = configured.stream.namespace || undefined;
    const label = namespace ? `${namespace}.${name}` : name;
    const table = namespace ? `${namespace}_${name}` : name;
    if (table === '' || RESERVED.test(table)) {
      throw new DuckDbSyncError(
        'SYNC_SCHEMA',
        `stream "${label}" cannot be a table: names starting with _ab_ or _sync_ are reserved`,
      );
    }
    // DuckDB identifiers are case-insensitive.
    const other = tables.get(table.toLowerCase());
    if (other !== undefined) {
      throw new DuckDbSyncError(
        'SYNC_SCHEMA',
        `streams "${other}" and "${label}" would both be table "${table}" (DuckDB names ignore case); select one of them with the stream selection`,
      );
    }
    tables.set(table.toLowerCase(), label);
    const properties = propertiesOf(configured.stream.json_schema);
    const columns: StreamColumn[] = [];
    const columnIndex = new Map<string, number>();
    const lower = new Set<string>();
    for (const [column, schema] of Object.entries(properties)) {
      if (RESERVED.test(column) || lower.has(column.toLowerCase())) {
        throw new DuckDbSyncError(
          'SYNC_SCHEMA',
          `stream "${label}": field "${column}" cannot be a column (${RESERVED.test(column) ? 'names starting with _ab_ or _sync_ are reserved' : 'another field differs from it only in case, and DuckDB names ignore case'})`,
        );
      }
      lower.add(column.toLowerCase());
      columnIndex.set(column, columns.length);
      columns.push({ name: column, type: columnTypeForJsonSchema(schema) });
    }
    const primaryKey = configured.primary_key?.length
      ? configured.primary_key
      : (configured.stream.source_defined_primary_key ?? []);
    for (const path of primaryKey) {
      if (!Array.isArray(path) || path.length === 0 || !columnIndex.has(String(path[0]))) {
        throw new DuckDbSyncError(
          'SYNC_SCHEMA',
          `stream "${label}": primary key ${JSON.stringify(path)} names no field of the stream's schema`,
        );
      }
    }
    return {
      key: streamKey(name, namespace),
      name,
      namespace,
      label,
      table,
      stageTable: `${STAGE_TABLE_PREFIX}${table}`,
      syncMode: configured.sync_mode,
      primaryKey: primaryKey.map((path) => path.map(String)),
      columns,
      columnIndex,
    };
  });
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null) return {};
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {};
}

/** The type a column has in the staging table: temporal values wait there as text. */
export function stageType(type: ColumnType): ColumnType {
  return type === 'TIMESTAMPTZ' || type === 'TIMESTAMP' || type === 'DATE' ? 'VARCHAR' : type;
}

/** `stage.column` as the final column's value. */
export function finalValueExpression(column: StreamColumn, alias: string): string {
  const ref = `${alias}.${quoteIdentifier(column.name)}`;
  return stageType(column.type) === column.type ? ref : `TRY_CAST(${ref} AS ${column.type})`;
}

/** The value of a primary key path, in the stage (`fromStage`) or in the final table. */
export function primaryKeyExpression(
  stream: StreamTable,
  path: readonly string[],
  alias: string,
  fromStage: boolean,
): string {
  const [first, ...rest] = path;
  const column = stream.columns[stream.columnIndex.get(first as string) as number] as StreamColumn;
  const value = fromStage ? finalValueExpression(column, alias) : `${alias}.${quoteIdentifier(column.name)}`;
  if (rest.length === 0) return value;
  const jsonPath = `$${rest.map((part) => `.${quoteIdentifier(part)}`).join('')}`;
  return `json_extract_string(${value}, ${quoteLiteral(jsonPath)})`;
}
