// A small @sdk/stream-cdk source for the in-process Airbyte shim tests: `customers` (incremental on
// `updated`, primary key `id`) and `pages` (resumable full refresh, page by page, no primary key).
// Config: { customers, pages, pageSize, stateEvery, failAt, idType } (idType: the declared type of
// `customers.id`, default 'integer'; 'number' makes a key Flow cannot use).
import {
  type CheckConnectionResult,
  type JsonObject,
  type ReadRecordsArgs,
  Source,
  Stream,
} from '@sdk/stream-cdk';

export interface SampleConfig extends JsonObject {
  customers?: number;
  pages?: number;
  pageSize?: number;
  stateEvery?: number;
  failAt?: number;
  idType?: string;
}

class Customers extends Stream {
  readonly name = 'customers';
  constructor(private readonly config: SampleConfig) {
    super();
  }
  override get primaryKey() {
    return 'id';
  }
  override get cursorField() {
    return ['updated'];
  }
  override get stateCheckpointInterval() {
    return this.config.stateEvery ?? 2;
  }
  getJsonSchema(): JsonObject {
    return {
      type: 'object',
      properties: { id: { type: this.config.idType ?? 'integer' }, updated: { type: 'integer' } },
    };
  }
  override getUpdatedState(current: JsonObject, latest: JsonObject): JsonObject {
    return { updated: Math.max(Number(current.updated ?? 0), Number(latest.updated)) };
  }
  *readRecords({ streamState }: ReadRecordsArgs) {
    const total = this.config.customers ?? 5;
    for (let id = Number(streamState.updated ?? 0) + 1; id <= total; id += 1) {
      if (this.config.failAt === id) throw new Error(`customers API failed at id ${id}`);
      yield { id, updated: id, name: `customer ${id}` };
    }
  }
}

class Pages extends Stream {
  readonly name = 'pages';
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
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { item: { type: 'integer' } } };
  }
  *readRecords({ streamSlice }: ReadRecordsArgs) {
    const page = Number(streamSlice.page ?? 0);
    const pageSize = this.config.pageSize ?? 2;
    const total = this.config.pages ?? 2;
    for (let item = page * pageSize; item < (page + 1) * pageSize; item += 1) yield { item };
    this.current = page + 1 < total ? { page: page + 1 } : {};
  }
}

export class SampleCdkSource extends Source<SampleConfig> {
  spec() {
    return {
      documentationUrl: 'https://example.invalid/cdk-sample',
      connectionSpecification: { type: 'object', properties: { customers: { type: 'integer' } } },
    };
  }
  async checkConnection(config: SampleConfig): Promise<CheckConnectionResult> {
    return config.customers === -1
      ? { succeeded: false, message: 'customers must not be -1' }
      : { succeeded: true };
  }
  streams(config: SampleConfig) {
    return [new Customers(config), new Pages(config)];
  }
}
