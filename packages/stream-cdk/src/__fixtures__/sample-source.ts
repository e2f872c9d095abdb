import type { ConnectorSpecification, JsonObject } from '../protocol/airbyte-protocol';
import { type CheckConnectionResult, Source } from '../source/source';
import type { SourceLogger } from '../stream/source-logger';
import { type ReadRecordsArgs, type RecordSource, Stream } from '../stream/stream';

export interface SampleConfig extends JsonObject {
  api_key: string;
  page_count: number;
  page_size?: number;
  fail_on_page?: number;
}

/** Resumable full refresh "items" stream: pages of {id, page}, state {page: next}. */
class ItemsStream extends Stream {
  readonly name = 'items';
  private current: JsonObject = {};
  constructor(private readonly config: SampleConfig) {
    super();
  }
  get state(): JsonObject {
    return this.current;
  }
  set state(value: JsonObject) {
    this.current = value;
  }
  override get primaryKey(): string {
    return 'id';
  }
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { id: { type: 'integer' }, page: { type: 'integer' } } };
  }
  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const page = typeof args.streamSlice.page === 'number' ? args.streamSlice.page : 1;
    if (page === this.config.fail_on_page) {
      throw new Error(`upstream refused page ${page} for key ${this.config.api_key}`);
    }
    args.logger.info(`reading page ${page} with key ${this.config.api_key}`);
    const size = this.config.page_size ?? 2;
    for (let n = 0; n < size; n++) yield { id: (page - 1) * size + n, page };
    this.current = page < this.config.page_count ? { page: page + 1 } : {};
  }
}

/** Incremental "events" stream: ids 1..5 with cursor `id`. */
class EventsStream extends Stream {
  readonly name = 'events';
  override get cursorField(): string[] {
    return ['id'];
  }
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { id: { type: 'integer' } } };
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    const after = typeof args.streamState.id === 'number' ? args.streamState.id : 0;
    for (let id = after + 1; id <= 5; id++) yield { id };
  }
  override getUpdatedState(current: JsonObject, latest: JsonObject): JsonObject {
    return { id: Math.max(typeof current.id === 'number' ? current.id : 0, latest.id as number) };
  }
}

/** The source the CLI tests spawn. */
export class SampleSource extends Source<SampleConfig> {
  spec(): ConnectorSpecification {
    return {
      documentationUrl: 'https://example.invalid/docs',
      connectionSpecification: {
        type: 'object',
        required: ['api_key', 'page_count'],
        additionalProperties: false,
        properties: {
          api_key: { type: 'string', airbyte_secret: true },
          page_count: { type: 'integer', minimum: 1 },
          page_size: { type: 'integer', minimum: 1 },
          fail_on_page: { type: 'integer' },
        },
      },
    };
  }
  async checkConnection(config: SampleConfig, logger: SourceLogger): Promise<CheckConnectionResult> {
    logger.info('checking');
    if (config.api_key.startsWith('bad'))
      return { succeeded: false, message: `key ${config.api_key} was refused` };
    return { succeeded: true };
  }
  streams(config: SampleConfig): Stream[] {
    return [new ItemsStream(config), new EventsStream()];
  }
}
