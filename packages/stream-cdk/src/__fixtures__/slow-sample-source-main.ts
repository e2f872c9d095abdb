import { setTimeout as sleep } from 'node:timers/promises';
import { launchSourceCli } from '../cli/run-source-cli';
import type { ConfiguredAirbyteCatalog } from '../protocol/airbyte-protocol';
import type { ReadOptions } from '../source/source';
import type { IncomingState } from '../state/connector-state-manager';
import { type SampleConfig, SampleSource } from './sample-source';

/** The sample source, pausing 25 ms after each batch: a read long enough for a person to watch. */
class SlowSampleSource extends SampleSource {
  override async *readBatches(
    config: SampleConfig,
    catalog: ConfiguredAirbyteCatalog,
    state?: IncomingState,
    options: ReadOptions = {},
  ) {
    for await (const batch of super.readBatches(config, catalog, state, options)) {
      yield batch;
      await sleep(25);
    }
  }
}

void launchSourceCli(new SlowSampleSource(), { version: '9.8.7' });
