import { type DataSourceAsSource, dataSourceAsSource } from '@sdk/datasource-bridge';
import { PostgresSource } from './postgres-source';
import { POSTGRES_SOURCE_CONFIG } from './postgres-source-config';
import { postgresStreams } from './postgres-streams';

/**
 * The PostgreSQL data source as an Airbyte-protocol source (and, through it, a Flow capture or an AMP
 * input tool): one stream per table, typed from its columns, keyed by its primary key, every table's
 * position carried in each STATE (see `@sdk/datasource-bridge`).
 */
export function createPostgresAirbyteSource(): DataSourceAsSource {
  return dataSourceAsSource(
    { Stream: PostgresSource, CONFIG: POSTGRES_SOURCE_CONFIG },
    { streams: postgresStreams },
  );
}
