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

/** Settings the fixture source reads from its config. */
interface EventsConfig extends JsonObject {
  token: string;
  events: number;
  fail_at_event?: number;
}

/** An incremental stream of `events` records `{ id, at }`, one slice of 5 per checkpoint. */
class EventsStream extends Stream {
  readonly name = 'events';
  #state: JsonObject = {};
  constructor(private readonly config: EventsConfig) {
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
  override get primaryKey(): string {
    return 'id';
  }
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { id: { type: 'integer' }, at: { type: 'string' } } };
  }
  override *streamSlices(args: StreamSlicesArgs): Iterable<JsonObject> {
    const from = typeof args.streamState.id === 'number' ? args.streamState.id + 1 : 0;
    for (let start = from; start < this.config.events; start += 5) yield { start };
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    const start = args.streamSlice.start as number;
    for (let id = start; id < Math.min(start + 5, this.config.events); id += 1) {
      if (id === this.config.fail_at_event) {
        throw new TracedError(`the events API is down (token ${this.config.token})`, {
          failureType: 'transient_error',
        });
      }
      yield { id, at: `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}Z` };
      this.#state = { id };
    }
  }
}

/** A full refresh stream of three `regions`. */
class RegionsStream extends Stream {
  readonly name = 'regions';
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { code: { type: 'string' } } };
  }
  *readRecords(): RecordSource {
    yield* [{ code: 'eu' }, { code: 'us' }, { code: 'ap' }];
  }
}

/** A two-stream Airbyte source for the bridge's tests. */
export class EventsSource extends Source<EventsConfig> {
  spec(): ConnectorSpecification {
    return {
      connectionSpecification: {
        title: 'Events',
        type: 'object',
        required: ['token', 'events'],
        properties: {
          token: { type: 'string', airbyte_secret: true, order: 0 },
          events: { type: 'integer', minimum: 0, order: 1 },
          fail_at_event: { type: 'integer', order: 2 },
        },
      },
    };
  }
  async checkConnection(): Promise<CheckConnectionResult> {
    return { succeeded: true };
  }
  streams(config: EventsConfig): Stream[] {
    return [new RegionsStream(), new EventsStream(config)];
  }
}
