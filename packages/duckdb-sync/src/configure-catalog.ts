import type { AirbyteCatalog, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '@sdk/stream-cdk';
import { DuckDbSyncError } from './errors/duckdb-sync-error';

/**
 * The configured catalog a sync reads from a discovered catalog: every stream (or those named in
 * `streams`, as `name` or `namespace.name`, in the order discovered), `incremental` where the stream
 * supports it, else `full_refresh`, with the source's default cursor and primary key. An unknown stream
 * name fails with `SYNC_CONFIG`, naming the streams there are.
 */
export function configureCatalog(
  catalog: AirbyteCatalog,
  streams?: readonly string[],
): ConfiguredAirbyteCatalog {
  const discovered = (catalog as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(discovered))
    throw new DuckDbSyncError('SYNC_PROTOCOL', 'the discovered catalog has no "streams" array');
  const labelOf = (stream: AirbyteCatalog['streams'][number]) =>
    stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
  if (streams !== undefined) {
    const known = new Set(discovered.map(labelOf));
    const unknown = streams.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new DuckDbSyncError(
        'SYNC_CONFIG',
        `unknown stream${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}; the source has ${[...known].map((name) => `"${name}"`).join(', ') || 'no streams'}`,
      );
    }
  }
  const selected =
    streams === undefined ? discovered : discovered.filter((stream) => streams.includes(labelOf(stream)));
  return {
    streams: selected.map((stream): ConfiguredAirbyteStream => {
      const incremental = stream.supported_sync_modes?.includes('incremental') ?? false;
      const primaryKey = stream.source_defined_primary_key ?? [];
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental
          ? primaryKey.length > 0
            ? 'append_dedup'
            : 'append'
          : 'overwrite',
        ...(incremental && stream.default_cursor_field?.length
          ? { cursor_field: stream.default_cursor_field }
          : {}),
        ...(primaryKey.length > 0 ? { primary_key: primaryKey } : {}),
      } as ConfiguredAirbyteStream;
    }),
  };
}
