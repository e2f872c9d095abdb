import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AirbyteMessage, ConfiguredAirbyteCatalog, JsonObject } from '@sdk/stream-cdk';
import { DuckDbSyncError } from './errors/duckdb-sync-error';
import { SourceFailedError } from './errors/source-failed-error';
import { queryDatabase } from './query-database';
import { type ReadInput, syncMessages } from './sync-messages';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-messages-'));
  dbPath = join(dir, 'm.duckdb');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<string[][]> {
  return (await queryDatabase(dbPath, sql)).rows.map((row) => [...row]);
}

const schema: JsonObject = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    n: { type: ['null', 'integer'] },
    x: { type: ['null', 'number'] },
    at: { type: ['null', 'string'], format: 'date-time' },
    local: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
    doc: { type: ['null', 'object'] },
    ok: { type: ['null', 'boolean'] },
  },
};

function catalog(
  syncMode: 'incremental' | 'full_refresh',
  primaryKey?: string[][],
): ConfiguredAirbyteCatalog {
  return {
    streams: [
      {
        stream: { name: 'items', json_schema: schema, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: syncMode,
        destination_sync_mode: 'append',
        ...(primaryKey ? { primary_key: primaryKey } : {}),
      },
    ],
  };
}

const record = (data: Record<string, unknown>): AirbyteMessage =>
  ({ type: 'RECORD', record: { stream: 'items', data, emitted_at: 1_767_225_600_000 } }) as AirbyteMessage;
const state = (position: number): AirbyteMessage =>
  ({
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: { name: 'items' }, stream_state: { position } } },
  }) as AirbyteMessage;

describe('syncMessages', () => {
  it('reads JSON lines with exact integers, widens BIGINT to HUGEINT, and keeps what no column can hold', async () => {
    const lines = [
      '{"type":"LOG","log":{"level":"INFO","message":"starting"}}',
      'not a message: plain output',
      '{"type":"RECORD","record":{"stream":"items","emitted_at":1767225600000,"data":{"id":1,"n":9223372036854775807,"x":"NaN","at":"2026-01-01T00:00:00.123456-08:00","local":"2026-01-01T10:00:00","doc":{"a":null,"b":{"c":[null]},"big":123456789012345678901234567890},"ok":true}}}',
      '{"type":"RECORD","record":{"stream":"items","emitted_at":1767225600000,"data":{"id":2,"n":170141183460469231731687303715884105727,"x":"-Infinity","at":null,"doc":null,"ok":null,"surprise":[1]}}}',
      '{"type":"RECORD","record":{"stream":"items","emitted_at":1767225600000,"data":{"id":3,"n":1701411834604692317316873037158841057270,"x":"seven","at":"yesterday","ok":"yes"}}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"items"},"stream_state":{"cursor":98765432109876543210}}}}',
    ];
    const logs: string[] = [];
    await syncMessages({
      dbPath,
      catalog: catalog('incremental'),
      read: async function* () {
        yield* lines;
      },
      onLog: (level, message) => logs.push(`${level} ${message}`),
    });
    expect(logs).toEqual(['INFO starting', 'INFO not a message: plain output']);
    expect(
      await rows(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'n'",
      ),
    ).toEqual([['HUGEINT']]);
    expect(
      await rows(
        'SELECT id, n::VARCHAR, x::VARCHAR, "at"::VARCHAR, "local"::VARCHAR, doc, ok, _ab_meta FROM items ORDER BY id',
      ),
    ).toEqual([
      [
        '1',
        '9223372036854775807',
        'nan',
        '2026-01-01 08:00:00.123456+00',
        '2026-01-01 10:00:00',
        '{"a":null,"b":{"c":[null]},"big":123456789012345678901234567890}',
        'true',
        'NULL',
      ],
      [
        '2',
        '170141183460469231731687303715884105727',
        '-inf',
        'NULL',
        'NULL',
        'NULL',
        'NULL',
        '{"extra":{"surprise":[1]}}',
      ],
      [
        '3',
        'NULL',
        'NULL',
        'NULL',
        'NULL',
        'NULL',
        'NULL',
        '{"rejected":{"n":1701411834604692317316873037158841057270,"x":"seven","at":"yesterday","ok":"yes"}}',
      ],
    ]);
    expect(await rows('SELECT state FROM _sync_state')).toEqual([
      [
        '{"type":"STREAM","stream":{"stream_descriptor":{"name":"items"},"stream_state":{"cursor":98765432109876543210}}}',
      ],
    ]);
    // The stored state goes back to the source with the integer exact.
    let input: ReadInput | undefined;
    await syncMessages({
      dbPath,
      catalog: catalog('incremental'),
      read: async function* (given) {
        input = given;
        yield* [];
      },
    });
    expect(input?.stateJson).toBe(
      '[{"type":"STREAM","stream":{"stream_descriptor":{"name":"items"},"stream_state":{"cursor":98765432109876543210}}}]',
    );
    expect(input?.state?.[0]?.stream?.stream_state).toEqual({ cursor: 98_765_432_109_876_543_210n });
  });

  it('commits records only with the STATE that follows them, spilled ones included', async () => {
    const failing = syncMessages({
      dbPath,
      catalog: catalog('incremental'),
      maxBufferedRecords: 2,
      read: async function* () {
        yield [record({ id: 1 }), record({ id: 2 }), record({ id: 3 }), state(3)];
        yield [record({ id: 4 }), record({ id: 5 }), record({ id: 6 })];
        throw new Error('connection reset');
      },
    });
    await expect(failing).rejects.toMatchObject({ code: 'SYNC_SOURCE_FAILED', failedStreams: ['items'] });
    expect(await rows('SELECT list(id ORDER BY id) FROM items')).toEqual([['[1, 2, 3]']]);
    expect(await rows('SELECT status, records_written, error FROM _sync_runs')).toEqual([
      ['failed', '3', 'connection reset'],
    ]);
    let resumedFrom: unknown;
    await syncMessages({
      dbPath,
      catalog: catalog('incremental'),
      maxBufferedRecords: 2,
      read: async function* ({ state: stored }) {
        resumedFrom = stored?.[0]?.stream?.stream_state;
        yield [record({ id: 4 }), record({ id: 5 }), state(5)];
      },
    });
    expect(resumedFrom).toEqual({ position: 3 });
    expect(await rows('SELECT list(id ORDER BY id) FROM items')).toEqual([['[1, 2, 3, 4, 5]']]);
    // Nothing the failed run spilled is left over.
    expect(await rows('SELECT count(*) FROM _sync_stage_items')).toEqual([['0']]);
  });

  it('deduplicates on the primary key, the newest record winning, within and across checkpoints', async () => {
    await syncMessages({
      dbPath,
      catalog: catalog('incremental', [['id']]),
      read: async function* () {
        yield [record({ id: 1, n: 1 }), record({ id: 2, n: 1 }), record({ id: 1, n: 2 }), state(1)];
        yield [record({ id: 2, n: 3 }), record({ id: 3, n: 1 }), state(2)];
      },
    });
    await syncMessages({
      dbPath,
      catalog: catalog('incremental', [['id']]),
      read: async function* () {
        yield [record({ id: 3, n: 4 }), state(3)];
      },
    });
    expect(await rows('SELECT id, n FROM items ORDER BY id')).toEqual([
      ['1', '2'],
      ['2', '3'],
      ['3', '4'],
    ]);
  });

  it('deduplicates on a composite text key, NULL keys included, with or without repeats in a checkpoint', async () => {
    const keyed: ConfiguredAirbyteCatalog = {
      streams: [
        {
          stream: {
            name: 'pairs',
            json_schema: {
              type: 'object',
              properties: { a: { type: ['null', 'string'] }, b: { type: 'string' }, v: { type: 'integer' } },
            },
            supported_sync_modes: ['incremental'],
          },
          sync_mode: 'incremental',
          destination_sync_mode: 'append_dedup',
          primary_key: [['a'], ['b']],
        },
      ],
    } as ConfiguredAirbyteCatalog;
    const pair = (a: string | null, b: string, v: number) =>
      ({ type: 'RECORD', record: { stream: 'pairs', data: { a, b, v }, emitted_at: 0 } }) as AirbyteMessage;
    const pairState = {
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name: 'pairs' }, stream_state: {} } },
    } as AirbyteMessage;
    await syncMessages({
      dbPath,
      catalog: keyed,
      read: async function* () {
        // No key repeats within this checkpoint ("x,y"+"z" is not "x"+"y,z").
        yield [pair('x,y', 'z', 1), pair('x', 'y,z', 1), pairState];
        // Repeats within this one, across the previous one, and NULL keys.
        yield [pair('x,y', 'z', 2), pair(null, 'n', 1), pair(null, 'n', 2), pair('x,y', 'z', 3), pairState];
      },
    });
    expect(await rows("SELECT coalesce(a, 'NULL'), b, v FROM pairs ORDER BY a NULLS FIRST, b")).toEqual([
      ['NULL', 'n', '2'],
      ['x', 'y,z', '1'],
      ['x,y', 'z', '3'],
    ]);
  });

  it('replaces a full refresh table atomically, and only after a successful sync', async () => {
    await syncMessages({
      dbPath,
      catalog: catalog('full_refresh'),
      read: async function* () {
        yield [record({ id: 1 }), record({ id: 2 })];
      },
    });
    const failing = syncMessages({
      dbPath,
      catalog: catalog('full_refresh'),
      read: async function* () {
        yield [record({ id: 7 }), state(1), record({ id: 8 })];
        yield {
          type: 'TRACE',
          trace: {
            type: 'ERROR',
            emitted_at: 0,
            error: {
              message: 'rate limited',
              failure_type: 'transient_error',
              stream_descriptor: { name: 'items' },
            },
          },
        } as AirbyteMessage;
      },
    });
    await expect(failing).rejects.toBeInstanceOf(SourceFailedError);
    expect(await rows('SELECT list(id ORDER BY id) FROM items')).toEqual([['[1, 2]']]);
    // The resumed refresh keeps the committed page (7), gets the rest, and swaps in once.
    await syncMessages({
      dbPath,
      catalog: catalog('full_refresh'),
      read: async function* ({ state: stored }) {
        expect(stored?.[0]?.stream?.stream_state).toEqual({ position: 1 });
        yield [record({ id: 8 }), record({ id: 9 }), state(2)];
      },
    });
    expect(await rows('SELECT list(id ORDER BY id) FROM items')).toEqual([['[7, 8, 9]']]);
    // A finished full refresh starts over next time.
    let next: ReadInput | undefined;
    await syncMessages({
      dbPath,
      catalog: catalog('full_refresh'),
      read: async function* (given) {
        next = given;
        yield [record({ id: 10 })];
      },
    });
    expect(next?.state).toBeUndefined();
    expect(await rows('SELECT list(id ORDER BY id) FROM items')).toEqual([['[10]']]);
  });

  it('commits a GLOBAL state with the records of every stream', async () => {
    const two: ConfiguredAirbyteCatalog = {
      streams: ['a', 'b'].map((name) => ({
        stream: {
          name,
          json_schema: { type: 'object', properties: { id: { type: 'integer' } } },
          supported_sync_modes: ['incremental'],
        },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      })),
    } as ConfiguredAirbyteCatalog;
    const global = {
      type: 'STATE',
      state: { type: 'GLOBAL', global: { shared_state: { lsn: 7 }, stream_states: [] } },
    } as unknown as AirbyteMessage;
    const rec = (stream: string, id: number) =>
      ({ type: 'RECORD', record: { stream, data: { id }, emitted_at: 0 } }) as AirbyteMessage;
    await expect(
      syncMessages({
        dbPath,
        catalog: two,
        read: async function* () {
          yield [rec('a', 1), rec('b', 1), global, rec('a', 2)];
          throw new Error('boom');
        },
      }),
    ).rejects.toMatchObject({ code: 'SYNC_SOURCE_FAILED' });
    expect(await rows('SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)')).toEqual([['1', '1']]);
    let given: ReadInput | undefined;
    await syncMessages({
      dbPath,
      catalog: two,
      read: async function* (input) {
        given = input;
        yield* [];
      },
    });
    expect(given?.state).toEqual([
      { type: 'GLOBAL', global: { shared_state: { lsn: 7 }, stream_states: [] } },
    ]);
  });

  it('refuses a record of a stream that is not configured, and reserved names', async () => {
    await expect(
      syncMessages({
        dbPath,
        catalog: catalog('incremental'),
        read: async function* () {
          yield { type: 'RECORD', record: { stream: 'other', data: {}, emitted_at: 0 } } as AirbyteMessage;
        },
      }),
    ).rejects.toMatchObject({ code: 'SYNC_PROTOCOL' });
    expect(await rows("SELECT status, error LIKE '[SYNC_PROTOCOL]%' FROM _sync_runs")).toEqual([
      ['failed', 'true'],
    ]);
    const reserved = catalog('incremental');
    (reserved.streams[0] as { stream: { name: string } }).stream.name = '_sync_state';
    const error = await syncMessages({ dbPath, catalog: reserved, read: async function* () {} }).catch(
      (caught: unknown) => caught,
    );
    expect(DuckDbSyncError.isInstance(error) && error.code).toBe('SYNC_SCHEMA');
  });
});
