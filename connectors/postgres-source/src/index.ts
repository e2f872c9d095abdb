export { AuthenticationError } from './errors/authentication-error';
export { ConnectionLostError } from './errors/connection-lost-error';
export { DatabaseNotFoundError } from './errors/database-not-found-error';
export { InvalidIncrementalKeyError } from './errors/invalid-incremental-key-error';
export { InvalidStateError } from './errors/invalid-state-error';
export { NoPrimaryKeyError } from './errors/no-primary-key-error';
export { PermissionDeniedError } from './errors/permission-denied-error';
export type { PostgresSourceErrorCode, PostgresSourceErrorOptions } from './errors/postgres-source-error';
export { PostgresSourceError } from './errors/postgres-source-error';
export { QueryFailedError } from './errors/query-failed-error';
export { ServerUnreachableError } from './errors/server-unreachable-error';
export { TableNotFoundError } from './errors/table-not-found-error';
export { ThrowawayClusterError } from './errors/throwaway-cluster-error';
export { TransientDatabaseError } from './errors/transient-database-error';
export { PostgresSource } from './postgres-source';
export { POSTGRES_SOURCE_CONFIG } from './postgres-source-config';
export type { RowCountMode, SourceSettings } from './source-settings';
export { parseSourceSettings } from './source-settings';
export type { KeyValue, SourcePositions, TablePosition } from './source-state';
export { parseSourcePositions } from './source-state';

import { PostgresSource } from './postgres-source';
import { POSTGRES_SOURCE_CONFIG } from './postgres-source-config';

/** The data source class, under the name Panoply's module contract uses (`sdk-datasource-run` loads it). */
export const Stream = PostgresSource;
/** The source's parameters, under the name Panoply's module contract uses. */
export const CONFIG = POSTGRES_SOURCE_CONFIG;
