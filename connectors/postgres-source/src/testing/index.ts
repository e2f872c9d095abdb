export type { FindPostgresBinariesOptions, PostgresBinaries } from './postgres-binaries';
export { findPostgresBinaries, INSTALL_POSTGRES_HINT } from './postgres-binaries';
export type { SampleDatabaseOptions, ServerLogin } from './sample-database';
export { createSampleDatabase, SAMPLE_TABLES } from './sample-database';
export type { StartThrowawayPostgresOptions, ThrowawayPostgres } from './throwaway-postgres';
export { startThrowawayPostgres } from './throwaway-postgres';
