import type { JsonObject, ReadOptions, Source } from '@sdk/stream-cdk';
import { createSecretMasker } from '@sdk/stream-cdk';
import { configureCatalog } from './configure-catalog';
import { type SyncMessagesOptions, type SyncResult, syncMessages } from './sync-messages';

/** Options of {@link syncSource}. */
export interface SyncSourceOptions<Config extends JsonObject = JsonObject>
  extends Pick<
    SyncMessagesOptions,
    'dbPath' | 'onProgress' | 'onLog' | 'onStart' | 'maxBufferedRecords' | 'progressIntervalMs' | 'signal'
  > {
  /** The `@sdk/stream-cdk` source, run in this process. */
  readonly source: Source<Config>;
  /** Its config. */
  readonly config: Config;
  /** Stream names (`name` or `namespace.name`) to sync. Defaults to every stream `discover` returns. */
  readonly streams?: readonly string[];
  /** Passed to `source.readBatches`. Defaults to the source's own defaults. */
  readOptions?: ReadOptions;
}

/**
 * Syncs a `@sdk/stream-cdk` `Source` into a DuckDB file, in this process: `discover` builds the
 * configured catalog ({@link configureCatalog}), `readBatches` reads from the state stored in the file,
 * and {@link syncMessages} writes. The source's `airbyte_secret` config values are masked in every
 * error and log text.
 */
export async function syncSource<Config extends JsonObject>(
  options: SyncSourceOptions<Config>,
): Promise<SyncResult> {
  const { source, config } = options;
  const spec = await source.spec();
  const masker = createSecretMasker(spec.connectionSpecification, config);
  const catalog = configureCatalog(await source.discover(config), options.streams);
  return syncMessages({
    dbPath: options.dbPath,
    catalog,
    masker,
    onProgress: options.onProgress,
    onLog: options.onLog,
    onStart: options.onStart,
    maxBufferedRecords: options.maxBufferedRecords,
    progressIntervalMs: options.progressIntervalMs,
    signal: options.signal,
    read: ({ state }) =>
      source.readBatches(config, catalog, state === undefined ? undefined : [...state], options.readOptions),
  });
}
