import { type DataSourceAsSourceOptions, dataSourceAsSource } from '@sdk/datasource-bridge';
import type { JsonObject } from '@sdk/stream-cdk';
import type { SyncResult } from './sync-messages';
import { type SyncSourceOptions, syncSource } from './sync-source';

/** Options of {@link syncDataSource}. */
export interface SyncDataSourceOptions extends Omit<SyncSourceOptions, 'source' | 'config'> {
  /** A `@sdk/datasource` module (exports `Stream` and `CONFIG`), run in this process. */
  readonly module: unknown;
  /** Its parameters (the values of its `CONFIG.params`). */
  readonly params: JsonObject;
  /** How the module becomes an Airbyte source (declared streams, say). Defaults to the bridge's defaults. */
  readonly bridge?: DataSourceAsSourceOptions;
}

/**
 * Syncs a Panoply-style DataSource module into a DuckDB file through `@sdk/datasource-bridge`'s
 * `dataSourceAsSource`: one table per DataSource table, incremental from the DataSource's own state,
 * secret parameters masked.
 */
export function syncDataSource(options: SyncDataSourceOptions): Promise<SyncResult> {
  const { module, params, bridge, ...rest } = options;
  return syncSource({ ...rest, source: dataSourceAsSource(module, bridge), config: params });
}
