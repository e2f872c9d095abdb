/**
 * The DuckDB type of a column this package creates. See {@link columnTypeForJsonSchema} for how a JSON
 * Schema picks one.
 */
export type ColumnType =
  | 'BIGINT'
  | 'HUGEINT'
  | 'DOUBLE'
  | 'VARCHAR'
  | 'BOOLEAN'
  | 'TIMESTAMPTZ'
  | 'TIMESTAMP'
  | 'DATE'
  | 'JSON';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The column type of a property's JSON Schema (`null` in `type` only makes it nullable; every column is
 * nullable):
 *
 * | JSON Schema | DuckDB |
 * |---|---|
 * | `integer` (or `number` with `airbyte_type: "integer"`) | `BIGINT`, or `HUGEINT` when `minimum`/`maximum` go beyond 64 bits or `airbyte_type` is `big_integer`; a `BIGINT` column is widened to `HUGEINT` when a value needs it |
 * | `number` | `DOUBLE` (the strings `"NaN"`, `"Infinity"`, `"-Infinity"` are read as those doubles) |
 * | `string` with `format: "date-time"` | `TIMESTAMPTZ` (UTC), or `TIMESTAMP` with `airbyte_type: "timestamp_without_timezone"` |
 * | `string` with `format: "date"` | `DATE` |
 * | other `string` | `VARCHAR` |
 * | `boolean` | `BOOLEAN` |
 * | `object`, `array`, several types, `anyOf`/`oneOf`, no type | `JSON` (integers inside stay exact) |
 */
export function columnTypeForJsonSchema(schema: unknown): ColumnType {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'JSON';
  const node = schema as Record<string, unknown>;
  const declared = node.type;
  const types = (Array.isArray(declared) ? declared : declared === undefined ? [] : [declared]).filter(
    (type) => type !== 'null',
  );
  if (types.length !== 1) return 'JSON';
  const airbyteType = node.airbyte_type;
  switch (types[0]) {
    case 'integer':
      return airbyteType === 'big_integer' || boundsBeyondInt64(node) ? 'HUGEINT' : 'BIGINT';
    case 'number':
      if (airbyteType === 'integer') return boundsBeyondInt64(node) ? 'HUGEINT' : 'BIGINT';
      if (airbyteType === 'big_integer') return 'HUGEINT';
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      if (node.format === 'date-time') {
        return airbyteType === 'timestamp_without_timezone' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
      }
      if (node.format === 'date') return 'DATE';
      return 'VARCHAR';
    default:
      return 'JSON';
  }
}

function boundsBeyondInt64(node: Record<string, unknown>): boolean {
  return [node.minimum, node.maximum, node.exclusiveMinimum, node.exclusiveMaximum].some((bound) => {
    if (typeof bound === 'bigint') return bound < INT64_MIN || bound > INT64_MAX;
    if (typeof bound === 'number') return Math.abs(bound) >= 2 ** 63;
    return false;
  });
}

/** The column type a DuckDB type name reads back as, for tables made by an earlier sync. */
export function columnTypeOfDuckDbType(duckDbType: string): ColumnType {
  const upper = duckDbType.toUpperCase();
  if (upper === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  if (upper === 'INTEGER' || upper === 'SMALLINT' || upper === 'TINYINT') return 'BIGINT';
  const known: readonly ColumnType[] = [
    'BIGINT',
    'HUGEINT',
    'DOUBLE',
    'VARCHAR',
    'BOOLEAN',
    'TIMESTAMPTZ',
    'TIMESTAMP',
    'DATE',
    'JSON',
  ];
  return known.find((type) => type === upper) ?? 'JSON';
}
