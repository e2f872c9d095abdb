export type { DuckDbSyncCliIo } from './cli/run-duckdb-sync-cli';
export { DUCKDB_SYNC_USAGE, runDuckDbSyncCli } from './cli/run-duckdb-sync-cli';
export type { ColumnType } from './column-type';
export { columnTypeForJsonSchema } from './column-type';
export { configureCatalog } from './configure-catalog';
export type { DuckDbSyncErrorCode, DuckDbSyncErrorOptions } from './errors/duckdb-sync-error';
export { DuckDbSyncError } from './errors/duckdb-sync-error';
export { SourceFailedError } from './errors/source-failed-error';
export type { QueryResult } from './query-database';
export { formatTable, queryDatabase } from './query-database';
export type { SyncAmpInputToolOptions } from './sync-amp-input-tool';
export { syncAmpInputTool } from './sync-amp-input-tool';
export type { SyncDataSourceOptions } from './sync-data-source';
export { syncDataSource } from './sync-data-source';
export type { SyncFlowCaptureCommandOptions } from './sync-flow-capture-command';
export { syncFlowCaptureCommand } from './sync-flow-capture-command';
export type {
  ReadInput,
  ReadMessages,
  StreamProgress,
  StreamSyncResult,
  SyncMessagesOptions,
  SyncProgress,
  SyncResult,
} from './sync-messages';
export { syncMessages } from './sync-messages';
export type { SyncSourceOptions } from './sync-source';
export { syncSource } from './sync-source';
export type { SyncSourceCommandOptions } from './sync-source-command';
export { readConfigFile, syncSourceCommand } from './sync-source-command';
export { META_COLUMNS, RUNS_TABLE, STAGE_TABLE_PREFIX, STATE_TABLE } from './sync-tables';
