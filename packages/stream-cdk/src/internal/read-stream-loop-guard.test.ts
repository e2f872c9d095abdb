import { ListSource } from '../__fixtures__/sample-streams';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { type ReadRecordsArgs, type RecordSource, Stream } from '../stream/stream';
import { configuredCatalog } from '../testing/configured-catalog';
import { readSource } from '../testing/read-source';

/** Resumable full refresh whose state never moves past `stuckAt` (a `page` token). */
class StuckStream extends Stream {
  readonly name = 'stuck';
  readonly pages: unknown[] = [];
  private current: JsonObject = {};
  constructor(
    private readonly stuckAt: number,
    private readonly guard?: boolean,
  ) {
    super();
  }
  get state(): JsonObject {
    return this.current;
  }
  set state(value: JsonObject) {
    this.current = value;
  }
  get paginationLoopGuard(): boolean | undefined {
    return this.guard;
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  *readRecords(args: ReadRecordsArgs): RecordSource {
    const page = typeof args.streamSlice.page === 'number' ? args.streamSlice.page : 1;
    this.pages.push(page);
    yield { page };
    // Ends after 5 pages only when the guard is off (a loop the guard would have stopped).
    this.current = this.pages.length >= 5 ? {} : { page: Math.min(page + 1, this.stuckAt) };
  }
}

describe('the page loop guard of resumable full refresh', () => {
  it('stops a stream whose state after a page is that same page, with a PaginationLoopError trace', async () => {
    const stream = new StuckStream(2);
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(stream.pages).toEqual([1, 2]);
    expect(result.errors()[0]?.message).toContain('CDK_PAGINATION_LOOP');
    expect(result.statuses('stuck')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
  });

  it('reads the same page again when the stream turns the guard off', async () => {
    const stream = new StuckStream(2, false);
    const result = await readSource({
      source: new ListSource([stream]),
      config: {},
      catalog: configuredCatalog([stream]),
    });
    expect(result.error).toBeUndefined();
    expect(stream.pages).toEqual([1, 2, 2, 2, 2]);
  });
});
