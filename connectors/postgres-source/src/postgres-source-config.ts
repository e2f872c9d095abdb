import type { DataSourceConfig } from '@sdk/datasource';

/**
 * The data source's `CONFIG` (Panoply module contract): the parameters the runner validates, and from
 * which `sdk-datasource-run` generates its `--flags`. Secrets (`password`) are never logged.
 */
export const POSTGRES_SOURCE_CONFIG: DataSourceConfig = {
  title: 'PostgreSQL',
  keywords: ['postgres', 'postgresql', 'database', 'sql'],
  params: [
    { name: 'host', title: 'Host', required: true, placeholder: '127.0.0.1' },
    { name: 'port', title: 'Port', type: 'number', default: 5432 },
    { name: 'database', title: 'Database', required: true },
    { name: 'user', title: 'User', required: true },
    {
      name: 'password',
      title: 'Password',
      type: 'password',
      help: 'Omit for trust or peer authentication (libpq environment variables and ~/.pgpass also apply).',
    },
    {
      name: 'schema',
      title: 'Schema',
      default: 'public',
      help: 'Schema whose base tables are read when `tables` is empty; unqualified `tables` resolve in it.',
    },
    {
      name: 'tables',
      title: 'Tables',
      placeholder: 'customers, sales.orders',
      help: 'Comma-separated table names (optionally schema-qualified); empty reads every table of `schema`.',
    },
    {
      name: 'batchSize',
      title: 'Batch size (rows)',
      type: 'number',
      category: 'advanced',
      help: 'Rows per FETCH and per batch; defaults to the runner’s read(n) hint (1000).',
    },
    {
      name: 'incrementalKey',
      title: 'Incremental key column',
      category: 'advanced',
      help: 'A NOT NULL column that grows with every change (e.g. updated_at); a later run with the saved state reads only rows past it.',
    },
    {
      name: 'countRows',
      title: 'Progress total',
      type: 'list',
      default: 'exact',
      category: 'advanced',
      values: [
        { name: 'Exact count (one extra scan per table)', value: 'exact' },
        { name: 'Planner estimate from pg_class', value: 'estimate' },
      ],
    },
    {
      name: 'tablePrefix',
      title: 'Destination table prefix',
      default: '',
      category: 'advanced',
      help: 'Prepended to `__table` of every record (`__table` is the table name, `schema_table` outside public).',
    },
    { name: 'ssl', title: 'Use TLS', type: 'boolean', default: false, category: 'advanced' },
    {
      name: 'connectTimeoutMs',
      title: 'Connect timeout (ms)',
      type: 'number',
      default: 10_000,
      category: 'advanced',
    },
    {
      name: 'applicationName',
      title: 'application_name',
      default: 'sdk-postgres-source',
      category: 'advanced',
    },
  ],
};
