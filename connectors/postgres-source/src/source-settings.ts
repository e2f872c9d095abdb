import { IncorrectParamError, type ParamIssue, type SourceParams } from '@sdk/datasource';
import { parseTableList, type TableName } from './internal/sql-identifiers';

/** How the progress total of a table is obtained. */
export type RowCountMode = 'exact' | 'estimate';

/** The parameters of the source, checked and typed. */
export interface SourceSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Undefined: let `pg` fall back on PGPASSWORD / ~/.pgpass, or trust authentication. */
  readonly password: string | undefined;
  readonly schema: string;
  /** Explicit tables, or `undefined` for every base table of `schema`. */
  readonly tables: readonly TableName[] | undefined;
  /** Rows per batch, or `undefined` to use the runner's hint. */
  readonly batchSize: number | undefined;
  readonly incrementalKey: string | undefined;
  readonly countRows: RowCountMode;
  readonly tablePrefix: string;
  readonly ssl: boolean;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
}

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function numberValue(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Checks the source parameters beyond what `CONFIG` declares (ranges, identifiers, table list) and
 * returns them typed. Throws one `IncorrectParamError` listing every problem; never echoes the password.
 */
export function parseSourceSettings(source: SourceParams): SourceSettings {
  const issues: ParamIssue[] = [];
  const required = (name: string): string => {
    const text = optionalText(source[name]);
    if (text === undefined) issues.push({ param: name, problem: 'is required' });
    return text ?? '';
  };
  const host = required('host');
  const database = required('database');
  const user = required('user');

  const port = numberValue(source.port) ?? 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    issues.push({ param: 'port', problem: 'must be an integer from 1 to 65535' });
  }
  const batchSize = numberValue(source.batchSize);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000)) {
    issues.push({ param: 'batchSize', problem: 'must be an integer from 1 to 1000000' });
  }
  const connectTimeoutMs = numberValue(source.connectTimeoutMs) ?? 10_000;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    issues.push({ param: 'connectTimeoutMs', problem: 'must be a positive integer (milliseconds)' });
  }
  const countRows = optionalText(source.countRows) ?? 'exact';
  if (countRows !== 'exact' && countRows !== 'estimate') {
    issues.push({ param: 'countRows', problem: 'must be "exact" or "estimate"' });
  }
  const schema = optionalText(source.schema) ?? 'public';
  let tables: TableName[] | undefined;
  const tablesText = optionalText(source.tables);
  if (tablesText !== undefined) {
    const parsed = parseTableList(tablesText, schema);
    if (typeof parsed === 'string') issues.push({ param: 'tables', problem: parsed });
    else tables = parsed;
  }
  const password = source.password;
  if (password !== undefined && password !== null && typeof password !== 'string') {
    issues.push({ param: 'password', problem: 'must be a string' });
  }
  const ssl = source.ssl === true || source.ssl === 'true';
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.param} ${issue.problem}`).join('; ');
    throw new IncorrectParamError(`invalid PostgreSQL source parameters: ${summary}`, issues);
  }
  return {
    host,
    port,
    database,
    user,
    password: typeof password === 'string' && password !== '' ? password : undefined,
    schema,
    tables,
    batchSize,
    incrementalKey: optionalText(source.incrementalKey),
    countRows: countRows as RowCountMode,
    tablePrefix: optionalText(source.tablePrefix) ?? '',
    ssl,
    connectTimeoutMs,
    applicationName: optionalText(source.applicationName) ?? 'sdk-postgres-source',
  };
}
