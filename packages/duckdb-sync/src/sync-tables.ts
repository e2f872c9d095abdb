/** The table holding the Airbyte state of every stream, committed with the records it covers. */
export const STATE_TABLE = '_sync_state';
/** The run log: one row per run and stream (records written, time taken, status, error). */
export const RUNS_TABLE = '_sync_runs';
/** Prefix of the staging tables (`_sync_stage_<table>`) that hold records until their checkpoint moves them. */
export const STAGE_TABLE_PREFIX = '_sync_stage_';
/**
 * The columns every stream table carries after the stream's own: when the source emitted the record,
 * the run that wrote it, and `_ab_meta`, a JSON object that is NULL unless the record had fields the
 * schema does not declare (`{"extra": {...}}`) or values its column could not hold (`{"rejected":
 * {"field": value}}`, the column then NULL). Nothing the source sent is lost.
 */
export const META_COLUMNS = ['_ab_emitted_at', '_ab_run_id', '_ab_meta'] as const;
