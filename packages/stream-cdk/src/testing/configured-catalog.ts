import type {
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  DestinationSyncMode,
  SyncMode,
} from '../protocol/airbyte-protocol';
import type { Stream } from '../stream/stream';

/** Options of {@link configuredCatalog}. */
export interface ConfiguredCatalogOptions {
  /** Default: `incremental` for streams with a cursor field, else `full_refresh`. */
  syncMode?: SyncMode;
  /** Default: `append` for incremental, `overwrite` for full refresh. */
  destinationSyncMode?: DestinationSyncMode;
}

/** A configured catalog selecting `streams`, for tests and scripts. */
export function configuredCatalog(
  streams: Stream[],
  options: ConfiguredCatalogOptions = {},
): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map((stream): ConfiguredAirbyteStream => {
      const syncMode = options.syncMode ?? (stream.supportsIncremental ? 'incremental' : 'full_refresh');
      return {
        stream: stream.asAirbyteStream(),
        sync_mode: syncMode,
        destination_sync_mode:
          options.destinationSyncMode ?? (syncMode === 'incremental' ? 'append' : 'overwrite'),
      };
    }),
  };
}
