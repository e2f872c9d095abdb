import { FixedStream, PagedStream } from '../__fixtures__/sample-streams';
import { createCheckpointReader } from '../checkpoint/create-checkpoint-reader';
import { CursorBasedCheckpointReader } from '../checkpoint/cursor-based-checkpoint-reader';
import { FullRefreshCheckpointReader } from '../checkpoint/full-refresh-checkpoint-reader';
import { IncrementalCheckpointReader } from '../checkpoint/incremental-checkpoint-reader';
import { ResumableFullRefreshCheckpointReader } from '../checkpoint/resumable-full-refresh-checkpoint-reader';
import { ResumableFullRefreshCursor } from '../checkpoint/resumable-full-refresh-cursor';
import { QueuedLogger } from '../internal/queued-logger';
import { SecretMasker } from '../internal/secret-masker';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { hasCheckpointState } from './checkpoint-mixin';
import { type PrimaryKey, Stream, wrapPrimaryKey } from './stream';

class StubStream extends Stream {
  constructor(
    readonly name: string,
    private readonly options: { cursor?: string[]; namespace?: string; primaryKey?: PrimaryKey } = {},
  ) {
    super();
  }
  override get cursorField(): string[] {
    return this.options.cursor ?? [];
  }
  override get namespace(): string | undefined {
    return this.options.namespace;
  }
  override get primaryKey(): PrimaryKey | undefined {
    return this.options.primaryKey;
  }
  getJsonSchema(): JsonObject {
    return {};
  }
  *readRecords() {}
}

class LegacyStream extends StubStream {
  override getUpdatedState(current: JsonObject): JsonObject {
    return current;
  }
}

class CursorStream extends StubStream {
  private readonly cursor = new ResumableFullRefreshCursor();
  override getCursor() {
    return this.cursor;
  }
}

class StatefulStream extends StubStream {
  private value: JsonObject = {};
  get state(): JsonObject {
    return this.value;
  }
  set state(next: JsonObject) {
    this.value = next;
  }
}

class SubStub extends StubStream {
  override get isSubstream(): boolean {
    return true;
  }
}

const readerArgs = {
  syncMode: 'incremental' as const,
  cursorField: ['updated_at'],
  streamState: {},
  logger: new QueuedLogger(new SecretMasker([]), false),
};

describe('Stream', () => {
  it('describes a full refresh stream', () => {
    expect(new StubStream('stream_stub_full_refresh').asAirbyteStream()).toEqual({
      name: 'stream_stub_full_refresh',
      json_schema: {},
      supported_sync_modes: ['full_refresh'],
      is_resumable: false,
    });
  });

  it('describes an incremental stream', () => {
    const stream = new StubStream('stream_stub_incremental', {
      cursor: ['test_cursor'],
      namespace: 'test_namespace',
      primaryKey: 'primary_key',
    });
    expect(stream.asAirbyteStream()).toEqual({
      name: 'stream_stub_incremental',
      namespace: 'test_namespace',
      json_schema: {},
      supported_sync_modes: ['full_refresh', 'incremental'],
      default_cursor_field: ['test_cursor'],
      source_defined_cursor: true,
      source_defined_primary_key: [['primary_key']],
      is_resumable: true,
    });
  });

  it('omits an empty namespace', () => {
    expect(new StubStream('s', { namespace: '' }).asAirbyteStream()).not.toHaveProperty('namespace');
  });

  it('wraps primary keys', () => {
    expect(wrapPrimaryKey('key')).toEqual([['key']]);
    expect(wrapPrimaryKey(['k1', 'k2'])).toEqual([['k1'], ['k2']]);
    expect(wrapPrimaryKey([['k1', 'k2'], ['k3']])).toEqual([['k1', 'k2'], ['k3']]);
    expect(wrapPrimaryKey(undefined)).toBeUndefined();
  });

  it('decides resumability from its shape', () => {
    expect(new StubStream('a').isResumable).toBe(false);
    expect(new StubStream('a', { cursor: ['c'] }).isResumable).toBe(true);
    expect(new StatefulStream('a').isResumable).toBe(true);
    expect(new StatefulStream('a').supportsCheckpointing).toBe(true);
    expect(new LegacyStream('a').isResumable).toBe(true);
    expect(new SubStub('a').isResumable).toBe(false);
    expect(new CursorStream('a').isResumable).toBe(true);
  });

  it('detects a state accessor with a setter only', () => {
    expect(hasCheckpointState(new StatefulStream('a'))).toBe(true);
    expect(hasCheckpointState(new PagedStream('a', 1))).toBe(true);
    const withField = Object.assign(new StubStream('a'), { state: {} });
    expect(hasCheckpointState(withField)).toBe(false);
  });

  it.each([
    [
      'state accessor + cursor',
      new StatefulStream('a', { cursor: ['updated_at'] }),
      IncrementalCheckpointReader,
    ],
    ['plain stream', new StubStream('a'), FullRefreshCheckpointReader],
    ['state accessor, no cursor', new StatefulStream('a'), ResumableFullRefreshCheckpointReader],
    [
      'legacy getUpdatedState + cursor',
      new LegacyStream('a', { cursor: ['updated_at'] }),
      IncrementalCheckpointReader,
    ],
    ['substream without cursor', new SubStub('a'), FullRefreshCheckpointReader],
    ['stream with a cursor object', new CursorStream('a'), CursorBasedCheckpointReader],
  ])('picks the reader for a %s regardless of sync mode', (_label, stream, readerClass) => {
    expect(createCheckpointReader(stream, readerArgs)).toBeInstanceOf(readerClass);
    expect(createCheckpointReader(stream, { ...readerArgs, syncMode: 'full_refresh' })).toBeInstanceOf(
      readerClass,
    );
  });

  it('loads the incoming state into the cursor', () => {
    const stream = new CursorStream('a');
    createCheckpointReader(stream, { ...readerArgs, streamState: { next_page_token: 10 } });
    expect(stream.getCursor().getStreamState()).toEqual({ next_page_token: 10 });
  });

  it('default slices are one empty slice', async () => {
    const stream = new StubStream('a', { cursor: ['c'] });
    const reader = createCheckpointReader(stream, readerArgs);
    expect(await reader.next()).toEqual({});
    expect(await new FixedStream('f', () => []).streamSlices(readerArgs)).toEqual([{}]);
  });
});
