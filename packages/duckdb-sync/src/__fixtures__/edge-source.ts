import { setTimeout as sleep } from 'node:timers/promises';
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

/** Settings of the fixture source. */
export interface EdgeConfig extends JsonObject {
  token: string;
  /** Records of `customers` (ids repeat every `distinct`, a later one updating the earlier) and of `events`. */
  count: number;
  distinct: number;
  /** Records per slice (one STATE per slice). Default 10. */
  slice_size?: number;
  /** Pause per slice, ms. Default 0. */
  delay_ms?: number;
  /** Fails `customers` at this record index (a transient error naming the token). */
  fail_at?: number;
  /**
   * `events` stops at this record index for a minute, after `customers` has been delivered: a run
   * that is certainly still going when a test kills it, however late the test sees the first rows.
   */
  hold_at?: number;
  /** Changes the `regions` rows (to see a full refresh replace them). Default 'a'. */
  regions_variant?: string;
  /** Keeps `big` within 64 bits (still beyond 2^53), as Arrow's Int64 of an input tool needs. Default false. */
  int64?: boolean;
}

const BIG = 9_007_199_254_740_993n; // 2^53 + 1, no double holds it
const HUGE = 170_141_183_460_469_231_731_687_303_715_884_105_727n; // 2^127 - 1, HUGEINT's max

/** The `customers` record of index `i`: every edge the type mapping has. */
export function customerRecord(i: number, distinct: number, int64 = false): JsonObject {
  const id = i % distinct;
  const record: Record<string, unknown> = {
    id,
    version: Math.floor(i / distinct),
    name: `customer ${id} v${Math.floor(i / distinct)}`,
    big: i % 7 === 6 && !int64 ? HUGE - BigInt(i) : BIG + BigInt(i),
    score: i % 5 === 0 ? 'NaN' : i + 0.5,
    signup: `2026-03-01T10:00:${String(i % 60).padStart(2, '0')}+05:30`,
    birthday: `1990-01-${String((i % 28) + 1).padStart(2, '0')}`,
    active: i % 2 === 0,
    tags: i % 3 === 0 ? [] : ['a', null, { deep: BIG + BigInt(i) }],
    profile: { city: i % 4 === 0 ? null : 'Paris', nested: { a: null, b: [null] } },
  };
  if (i === 3) record.unexpected = 'kept in _ab_meta';
  return record as JsonObject;
}

abstract class SlicedStream extends Stream {
  #state: JsonObject = {};
  constructor(protected readonly config: EdgeConfig) {
    super();
  }
  get state(): JsonObject {
    return this.#state;
  }
  set state(value: JsonObject) {
    this.#state = value;
  }
  override get cursorField(): string[] {
    return ['seq'];
  }
  override *streamSlices(args: StreamSlicesArgs): Iterable<JsonObject> {
    const from = typeof args.streamState.seq === 'number' ? args.streamState.seq : 0;
    const size = this.config.slice_size ?? 10;
    for (let start = from; start < this.config.count; start += size) yield { start };
  }
  protected abstract record(i: number): JsonObject;
  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const start = args.streamSlice.start as number;
    const end = Math.min(start + (this.config.slice_size ?? 10), this.config.count);
    if (this.config.delay_ms) await sleep(this.config.delay_ms);
    for (let i = start; i < end; i += 1) {
      if (i === this.config.hold_at && this.name === 'events') await sleep(60_000);
      if (i === this.config.fail_at && this.name === 'customers') {
        throw new TracedError(`the customers API is down (token ${this.config.token})`, {
          failureType: 'transient_error',
        });
      }
      yield { ...this.record(i), seq: i };
      this.#state = { seq: i + 1 };
    }
  }
}

/** Incremental with a primary key: later records update earlier ids. */
class CustomersStream extends SlicedStream {
  readonly name = 'customers';
  override get primaryKey(): string {
    return 'id';
  }
  getJsonSchema(): JsonObject {
    return {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        seq: { type: 'integer' },
        version: { type: ['null', 'integer'] },
        name: { type: ['null', 'string'] },
        big: { type: ['null', 'integer'] },
        score: { type: ['null', 'number'] },
        signup: { type: ['null', 'string'], format: 'date-time' },
        birthday: { type: ['null', 'string'], format: 'date' },
        active: { type: ['null', 'boolean'] },
        tags: { type: ['null', 'array'] },
        profile: { type: ['null', 'object'] },
      },
    };
  }
  protected record(i: number): JsonObject {
    return customerRecord(i, this.config.distinct, this.config.int64 === true);
  }
}

/** Incremental without a primary key: appended, so a duplicate would show. */
class EventsStream extends SlicedStream {
  readonly name = 'events';
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { seq: { type: 'integer' }, kind: { type: 'string' } } };
  }
  protected record(i: number): JsonObject {
    return { kind: i % 2 === 0 ? 'click' : 'view' };
  }
}

/** Full refresh: three regions, their codes set by `regions_variant`. */
class RegionsStream extends Stream {
  readonly name = 'regions';
  constructor(private readonly config: EdgeConfig) {
    super();
  }
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { code: { type: 'string' }, rank: { type: 'integer' } } };
  }
  *readRecords(): RecordSource {
    const variant = this.config.regions_variant ?? 'a';
    yield* ['eu', 'us', 'ap'].map((code, rank) => ({ code: `${code}-${variant}`, rank }));
  }
}

/** A three-stream Airbyte source for the sync's tests. */
export class EdgeSource extends Source<EdgeConfig> {
  spec(): ConnectorSpecification {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['token', 'count', 'distinct'],
        properties: {
          token: { type: 'string', airbyte_secret: true },
          count: { type: 'integer', minimum: 0 },
          distinct: { type: 'integer', minimum: 1 },
          slice_size: { type: 'integer', minimum: 1 },
          delay_ms: { type: 'integer', minimum: 0 },
          fail_at: { type: 'integer' },
          hold_at: { type: 'integer' },
          regions_variant: { type: 'string' },
          int64: { type: 'boolean' },
        },
      },
    };
  }
  async checkConnection(): Promise<CheckConnectionResult> {
    return { succeeded: true };
  }
  streams(config: EdgeConfig): Stream[] {
    return [new CustomersStream(config), new EventsStream(config), new RegionsStream(config)];
  }
}
