/** A table, schema-qualified. */
export interface TableName {
  readonly schema: string;
  readonly name: string;
}

/** Quotes an identifier for SQL text (doubling embedded quotes), whatever characters it holds. */
export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`, safe in SQL text. */
export function quoteTableName(table: TableName): string {
  return `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
}

/** `schema.table` for messages and state keys. */
export function displayTableName(table: TableName): string {
  return `${table.schema}.${table.name}`;
}

// One name part: "quoted" (with "" escapes) or bare, where bare names fold to lower case as in SQL.
const partPattern = /^\s*(?:"((?:[^"]|"")+)"|([^".,\s]+))\s*/;

function readPart(text: string): { part: string; rest: string } | undefined {
  const match = partPattern.exec(text);
  if (match === null) return undefined;
  const part = match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] ?? '').toLowerCase();
  return { part, rest: text.slice(match[0].length) };
}

/**
 * Parses `a, sales.b, "Mixed Case"."T"` into tables; unqualified names get `defaultSchema`. Returns
 * a description of the problem (a string) for malformed input, so callers can collect issues.
 */
export function parseTableList(text: string, defaultSchema: string): TableName[] | string {
  const tables: TableName[] = [];
  let rest = text;
  while (rest.trim() !== '') {
    const first = readPart(rest);
    if (first === undefined) return `cannot parse a table name at "${rest.trim()}"`;
    rest = first.rest;
    let table: TableName = { schema: defaultSchema, name: first.part };
    if (rest.startsWith('.')) {
      const second = readPart(rest.slice(1));
      if (second === undefined) return `cannot parse a table name after "${first.part}."`;
      rest = second.rest;
      table = { schema: first.part, name: second.part };
    }
    if (!tables.some((seen) => seen.schema === table.schema && seen.name === table.name)) tables.push(table);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest.trim() !== '') return `expected a comma at "${rest.trim()}"`;
  }
  return tables.length === 0 ? 'lists no table' : tables;
}
