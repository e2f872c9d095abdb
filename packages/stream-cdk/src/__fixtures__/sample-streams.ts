import type { SliceSource } from '../checkpoint/checkpoint-reader';
import type { ConnectorSpecification, JsonObject } from '../protocol/airbyte-protocol';
import { type CheckConnectionResult, Source } from '../source/source';
import { type ReadRecordsArgs, type RecordSource, Stream, type StreamSlicesArgs } from '../stream/stream';

/** A full refresh stream that yields fixed records per slice and remembers every call. */
export class FixedStream extends Stream {
  readonly calls: ReadRecordsArgs[] = [];
  constructor(
    readonly name: string,
    private readonly recordsFor: (slice: JsonObject) => JsonObject[],
    private readonly slices: SliceSource = [{}],
  ) {
    super();
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  override streamSlices(_args: StreamSlicesArgs): SliceSource {
    return this.slices;
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    this.calls.push(args);
    yield* this.recordsFor(args.streamSlice);
  }
}

/**
 * Resumable full refresh over `pageCount` pages of `pageSize` records ({page, n}); the state is
 * `{page: next}`; `failOnPage` throws when that page is requested.
 */
export class PagedStream extends Stream {
  readonly name: string;
  readonly requestedPages: number[] = [];
  readonly seenStates: JsonObject[] = [];
  private currentState: JsonObject = {};
  failOnPage: number | undefined;
  constructor(
    name: string,
    private readonly pageCount: number,
    private readonly pageSize = 2,
  ) {
    super();
    this.name = name;
  }
  get state(): JsonObject {
    return this.currentState;
  }
  set state(value: JsonObject) {
    this.currentState = value;
  }
  override get primaryKey(): string {
    return 'id';
  }
  getJsonSchema(): JsonObject {
    return { type: 'object', properties: { id: { type: 'string' }, page: { type: 'integer' } } };
  }
  async *readRecords(args: ReadRecordsArgs): RecordSource {
    this.seenStates.push(args.streamState);
    const page = typeof args.streamSlice.page === 'number' ? args.streamSlice.page : 1;
    this.requestedPages.push(page);
    if (page === this.failOnPage) throw new Error(`page ${page} failed`);
    for (let n = 0; n < this.pageSize; n++) yield { id: `${page}-${n}`, page, n };
    this.currentState = page < this.pageCount ? { page: page + 1 } : {};
  }
}

/** Minimal source over a fixed list of streams. */
export class ListSource extends Source {
  constructor(
    private readonly streamList: Stream[],
    private readonly specification: ConnectorSpecification = {
      connectionSpecification: {
        type: 'object',
        properties: { api_key: { type: 'string', airbyte_secret: true } },
      },
    },
  ) {
    super();
  }
  spec(): ConnectorSpecification {
    return this.specification;
  }
  async checkConnection(): Promise<CheckConnectionResult> {
    return { succeeded: true };
  }
  streams(): Stream[] {
    return this.streamList;
  }
}
