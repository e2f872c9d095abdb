import {
  type CheckConnectionResult,
  type ConnectorSpecification,
  type JsonObject,
  type ReadRecordsArgs,
  type RecordSource,
  Source,
  Stream,
  type StreamSlicesArgs,
  TracedError,
} from '@sdk/stream-cdk';

interface CatalogConfig extends JsonObject {
  password: string;
  items: number;
  fail_at_item?: number;
  extra_field?: boolean;
  non_finite?: boolean;
}

/** The item the fixture writes at `id`: every JSON Schema type the Arrow mapping has. */
export function item(id: number): JsonObject {
  return {
    id,
    big: id % 2 === 0 ? 9_007_199_254_740_000 + id : null,
    price: id + 0.5,
    name: `item ${id}`,
    active: id % 3 !== 0,
    created: `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}.000Z`,
    tags: id % 4 === 0 ? [] : ['a', `t${id}`],
    dims: { w: id, h: id % 5 === 0 ? null : id * 2 },
  };
}

/** Incremental `items` (cursor `id`, a STATE every 7), read in slices from the state on. */
class ItemsStream extends Stream {
  readonly name = 'items';
  #state: JsonObject = {};
  constructor(private readonly config: CatalogConfig) {
    super();
  }
  get state(): JsonObject {
    return this.#state;
  }
  set state(value: JsonObject) {
    this.#state = value;
  }
  override get cursorField(): string[] {
    return ['id'];
  }
  getJsonSchema(): JsonObject {
    return {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'integer' },
        big: { type: ['null', 'integer'] },
        price: { type: 'number' },
        name: { type: 'string' },
        active: { type: 'boolean' },
        created: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' } },
        dims: { type: 'object', properties: { w: { type: 'integer' }, h: { type: ['null', 'integer'] } } },
      },
    };
  }
  override *streamSlices(args: StreamSlicesArgs): Iterable<JsonObject> {
    const from = typeof args.streamState.id === 'number' ? args.streamState.id + 1 : 0;
    for (let start = from; start < this.config.items; start += 7) yield { start };
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    const start = args.streamSlice.start as number;
    for (let id = start; id < Math.min(start + 7, this.config.items); id += 1) {
      if (id === this.config.fail_at_item) {
        throw new TracedError(`the items API refused password ${this.config.password}`, {
          failureType: 'transient_error',
        });
      }
      const record = this.config.extra_field === true ? { ...item(id), surprise: 1 } : item(id);
      // How JSON-based sources write NaN and the infinities.
      if (this.config.non_finite === true && id < 3)
        record.price = ['NaN', 'Infinity', '-Infinity'][id] as string;
      yield record;
      this.#state = { id };
    }
  }
}

/** A full refresh `regions` stream. */
class RegionsStream extends Stream {
  readonly name = 'regions';
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { code: { type: 'string' } } };
  }
  *readRecords(): RecordSource {
    yield* [{ code: 'eu' }, { code: 'us' }];
  }
}

/** A two-stream Airbyte source for the input tool's tests. */
export class CatalogSource extends Source<CatalogConfig> {
  spec(): ConnectorSpecification {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['password', 'items'],
        properties: {
          password: { type: 'string', airbyte_secret: true },
          items: { type: 'integer', minimum: 0 },
          fail_at_item: { type: 'integer' },
          extra_field: { type: 'boolean' },
          non_finite: { type: 'boolean' },
        },
      },
    };
  }
  async checkConnection(): Promise<CheckConnectionResult> {
    return { succeeded: true };
  }
  streams(config: CatalogConfig): Stream[] {
    return [new RegionsStream(), new ItemsStream(config)];
  }
}
