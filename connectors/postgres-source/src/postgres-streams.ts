import type { DeclaredStream } from '@sdk/datasource-bridge';
import type { Client } from 'pg';
import { classifyError } from './internal/classify-error';
import { type ColumnDescription, columnJsonSchema } from './internal/column-json-schema';
import { openClient } from './internal/open-client';
import { destinationTable, planTables } from './internal/table-catalog';
import { parseSourceSettings } from './source-settings';

/**
 * The streams of the PostgreSQL source for other engines (`@sdk/datasource-bridge`'s `streams`): one per
 * selected table, named as its records' `__table`, with a JSON Schema from the table's columns
 * (`columnJsonSchema`: NOT NULL columns `required`, the others nullable) and the primary key. Reads the
 * catalog only, never a row.
 *
 * @throws the source's own typed errors (`TableNotFoundError`, `NoPrimaryKeyError`, connection errors).
 */
export async function postgresStreams(params: Readonly<Record<string, unknown>>): Promise<DeclaredStream[]> {
  const settings = parseSourceSettings(params);
  let client: Client | undefined;
  try {
    client = await openClient(settings, () => {});
    const plans = await planTables(client, settings);
    const streams: DeclaredStream[] = [];
    for (const plan of plans) {
      const columns = await describeColumns(client, plan.oid);
      const properties: Record<string, unknown> = {};
      for (const column of columns) properties[column.name] = columnJsonSchema(column);
      streams.push({
        name: destinationTable(plan, settings.tablePrefix),
        jsonSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          additionalProperties: false,
          required: columns.filter((column) => column.notNull).map((column) => column.name),
          properties,
        },
        primaryKey: plan.primaryKey.map((column) => [column.name]),
      });
    }
    return streams;
  } catch (error) {
    const where = `postgres://${settings.host}:${settings.port}/${settings.database}`;
    throw classifyError(error, client === undefined ? 'connect' : 'query', where);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

async function describeColumns(client: Client, oid: number): Promise<ColumnDescription[]> {
  const result = await client.query<{ name: string; type_name: string; not_null: boolean }>(
    `SELECT a.attname AS name, t.typname AS type_name, a.attnotnull AS not_null
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [oid],
  );
  return result.rows.map((row) => ({ name: row.name, typeName: row.type_name, notNull: row.not_null }));
}
