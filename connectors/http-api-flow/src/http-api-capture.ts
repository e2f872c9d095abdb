import { HttpApiSource } from '@connectors/http-api-source';
import { AirbyteCaptureShim, type AirbyteCaptureShimOptions, StreamCdkAirbyteDriver } from '@sdk/flow-shim';
import type { ReadOptions } from '@sdk/stream-cdk';

/** Options of {@link createHttpApiCapture}: the shim's own, plus the source's read options. */
export interface HttpApiCaptureOptions extends AirbyteCaptureShimOptions {
  /**
   * Read options of the in-process source. Defaults to the source's own (completion sentinels kept:
   * the shim clears finished full-refresh bindings at the end of a sweep, so a session restarted
   * midway must still skip a stream that had finished).
   */
  readOptions?: ReadOptions;
}

/**
 * The sample HTTP API source as an Estuary Flow capture: `@connectors/http-api-source` run
 * in-process by `@sdk/flow-shim`'s Airbyte shim. One binding per stream (`regions`, `customers`,
 * `orders`, `customer_notes`); every Airbyte STATE becomes a Flow checkpoint of that binding (a merge
 * patch by default), so a restarted session resumes where the last committed checkpoint left off.
 */
export function createHttpApiCapture(options: HttpApiCaptureOptions = {}): AirbyteCaptureShim {
  const { readOptions, ...shimOptions } = options;
  const driver = new StreamCdkAirbyteDriver(new HttpApiSource(), {
    name: 'http-api-source',
    ...(readOptions === undefined ? {} : { readOptions }),
  });
  return new AirbyteCaptureShim(driver, shimOptions);
}
