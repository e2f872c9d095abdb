import type {
  JsonObject as CdkJsonObject,
  ConfiguredAirbyteCatalog,
  ReadOptions,
  Source,
} from '@sdk/stream-cdk';
import { validateConfig } from '@sdk/stream-cdk';
import type { JsonValue } from '../protocol/flow-specs';
import type {
  AirbyteDriver,
  AirbyteMessageEnvelope,
  AirbyteSpecification,
  AirbyteStatePayload,
  AirbyteStreamDefinition,
  ConfiguredCatalog,
} from './airbyte-driver';

/** Options of {@link StreamCdkAirbyteDriver}. */
export interface StreamCdkAirbyteDriverOptions {
  /** Name used in logs and errors. Defaults to the source's class name. */
  name?: string;
  /** Read options handed to `Source.readBatches`. Defaults to the source's own. */
  readOptions?: ReadOptions;
}

/**
 * Drives a `@sdk/stream-cdk` `Source` in-process: no child process and no JSON round trip for
 * records, the same messages the source's CLI would print. Configs are validated against the
 * source's spec first, as its CLI does.
 */
export class StreamCdkAirbyteDriver<Config extends CdkJsonObject = CdkJsonObject> implements AirbyteDriver {
  readonly name: string;

  constructor(
    private readonly source: Source<Config>,
    private readonly options: StreamCdkAirbyteDriverOptions = {},
  ) {
    this.name = options.name ?? source.constructor.name;
  }

  async spec(): Promise<AirbyteSpecification> {
    const spec = await this.source.spec();
    return {
      connectionSpecification: spec.connectionSpecification as JsonValue,
      ...(spec.documentationUrl ? { documentationUrl: spec.documentationUrl } : {}),
    };
  }

  async check(config: JsonValue): Promise<{ succeeded: boolean; message?: string }> {
    validateConfig(await this.source.spec(), config);
    const status = (await this.source.check(config as Config)).connectionStatus;
    return {
      succeeded: status.status === 'SUCCEEDED',
      ...(status.message ? { message: status.message } : {}),
    };
  }

  async discover(config: JsonValue): Promise<AirbyteStreamDefinition[]> {
    validateConfig(await this.source.spec(), config);
    const catalog = await this.source.discover(config as Config);
    return catalog.streams as unknown as AirbyteStreamDefinition[];
  }

  async *read(
    config: JsonValue,
    catalog: ConfiguredCatalog,
    state: AirbyteStatePayload[],
    signal: AbortSignal,
  ): AsyncIterable<AirbyteMessageEnvelope[]> {
    validateConfig(await this.source.spec(), config);
    const batches = this.source.readBatches(
      config as Config,
      catalog as unknown as ConfiguredAirbyteCatalog,
      state.length > 0 ? state : undefined,
      this.options.readOptions ?? {},
    );
    for await (const batch of batches) {
      yield batch as unknown as AirbyteMessageEnvelope[];
      if (signal.aborted) {
        await batches.return(undefined);
        return;
      }
    }
  }
}
