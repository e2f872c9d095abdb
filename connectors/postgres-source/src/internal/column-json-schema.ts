/** A column as `pg_attribute` and `pg_type` describe it. */
export interface ColumnDescription {
  readonly name: string;
  /** `pg_type.typname` of the column, e.g. `int8`, `_text` (arrays start with an underscore). */
  readonly typeName: string;
  readonly notNull: boolean;
}

/**
 * The JSON Schema of a column, describing the values this source returns for it (see the README's value
 * rules), so that Airbyte, Flow and Arrow (AMP) all type them from the same schema:
 *
 * - `int2`, `int4`, `int8` -> `integer` (exact beyond 2^53: those values are bigints, written as exact
 *   JSON integers); `float4`, `float8` -> `number`; `numeric` -> `string` (exact decimal text);
 * - `bool` -> `boolean`; `json`, `jsonb` -> any JSON value; `date` -> `string` with `format: date`;
 * - `timestamptz` -> `string` with `format: date-time` (`timestamp_with_timezone`), `timestamp` the same
 *   with `timestamp_without_timezone`; other date and time types, intervals and `bytea` -> `string`
 *   (PostgreSQL's text form);
 * - arrays -> `array` of their element's schema; every other type -> `string`.
 *
 * A column that may be NULL lists `"null"` in its type.
 */
export function columnJsonSchema(column: ColumnDescription): Record<string, unknown> {
  const schema = typeSchema(column.typeName);
  if (column.notNull || schema.type === undefined) return schema;
  return { ...schema, type: ['null', schema.type] };
}

function typeSchema(typeName: string): Record<string, unknown> {
  if (typeName.startsWith('_')) return { type: 'array', items: nullable(typeSchema(typeName.slice(1))) };
  switch (typeName) {
    case 'int2':
    case 'int4':
    case 'int8':
      return { type: 'integer' };
    case 'float4':
    case 'float8':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'json':
    case 'jsonb':
      return {};
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamptz':
      return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
    case 'timestamp':
      return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
    default:
      return { type: 'string' };
  }
}

/** Array elements may be NULL whatever the column says. */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  return schema.type === undefined ? schema : { ...schema, type: ['null', schema.type] };
}
