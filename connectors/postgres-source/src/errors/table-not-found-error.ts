import { PostgresSourceError, type PostgresSourceErrorOptions } from './postgres-source-error';

/** Selected tables (or a selected schema) do not exist. Not retryable. `tables` lists every missing one. */
export class TableNotFoundError extends PostgresSourceError {
  /** Every missing table, as `schema.table`. */
  readonly tables: readonly string[];

  constructor(message: string, tables: readonly string[], options: PostgresSourceErrorOptions = {}) {
    super('POSTGRES_TABLE_NOT_FOUND', message, false, options);
    this.tables = tables;
  }
}
