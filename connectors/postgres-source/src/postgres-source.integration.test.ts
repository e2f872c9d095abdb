import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createJsonLinesFileSink,
  createPanoplyHttpSink,
  type DataRecord,
  encodeJsonRecord,
  ReadFailedError,
  type RunDataSourceOptions,
  runDataSource,
  type Sink,
  type WriterBatch,
} from '@sdk/datasource';
import { Client } from 'pg';
import {
  adminQuery,
  createTestDatabase,
  READER_PASSWORD,
  sourceParams,
  TEMPLATE_ROWS,
} from './__fixtures__/test-server';
import { AuthenticationError } from './errors/authentication-error';
import { ConnectionLostError } from './errors/connection-lost-error';
import { DatabaseNotFoundError } from './errors/database-not-found-error';
import { InvalidIncrementalKeyError } from './errors/invalid-incremental-key-error';
import { InvalidStateError } from './errors/invalid-state-error';
import { NoPrimaryKeyError } from './errors/no-primary-key-error';
import { PermissionDeniedError } from './errors/permission-denied-error';
import { PostgresSourceError } from './errors/postgres-source-error';
import { ServerUnreachableError } from './errors/server-unreachable-error';
import { TableNotFoundError } from './errors/table-not-found-error';
import { CONFIG, Stream } from './index';

/** A sink keeping every batch in memory; `onBatch` runs before the batch is accepted. */
function memorySink(onBatch?: (batch: WriterBatch) => Promise<void>) {
  const batches: DataRecord[][] = [];
  const sink: Sink = {
    encodeRecord: (record) => `${encodeJsonRecord(record)}\n`,
    async sendBatch(batch) {
      await onBatch?.(batch);
      batches.push([...batch.records]);
    },
  };
  return { sink, batches, records: () => batches.flat() };
}

function run(params: Record<string, unknown>, options: Partial<RunDataSourceOptions> = {}) {
  const memory = memorySink();
  const progress: { loaded: number | null; total: number | null; msg: string }[] = [];
  const result = runDataSource({
    module: { Stream, CONFIG },
    params,
    sink: memory.sink,
    progress: 'none',
    retryBaseDelayMs: 1,
    sourceOptions: {},
    output: { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream,
    ...options,
  });
  return { result, memory, progress };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the run to fail');
}

/** The source error behind the runner's ReadFailedError. */
async function sourceFailure(
  promise: Promise<unknown>,
): Promise<{ error: PostgresSourceError; attempts: number }> {
  const error = await failure(promise);
  if (!ReadFailedError.isInstance(error)) throw error;
  if (!PostgresSourceError.isInstance(error.cause)) throw error;
  return { error: error.cause, attempts: error.attempts };
}

let database: string;

beforeAll(async () => {
  database = await createTestDatabase();
});

describe('reading tables', () => {
  test('reads every row of a table in primary-key order, in batches of n, each with its own reported state', async () => {
    const { result, memory } = run(sourceParams(database, { tables: 'customers' }), { batchSize: 700 });
    const summary = await result;
    const records = memory.records();
    expect(summary.recordCount).toBe(TEMPLATE_ROWS.customers);
    expect(records.map((record) => record.id)).toEqual(
      Array.from({ length: TEMPLATE_ROWS.customers }, (_, index) => index + 1),
    );
    expect(memory.batches.map((batch) => batch.length)).toEqual([
      ...Array(Math.floor(TEMPLATE_ROWS.customers / 700)).fill(700),
      TEMPLATE_ROWS.customers % 700,
    ]);
    for (const batch of memory.batches) {
      expect(new Set(batch.map((record) => record.__state)).size).toBe(1);
    }
    expect(new Set(records.map((record) => record.__state)).size).toBe(memory.batches.length);
    expect(summary.state).toEqual({
      'public.customers': {
        keys: ['id'],
        after: [TEMPLATE_ROWS.customers],
        loaded: TEMPLATE_ROWS.customers,
        complete: true,
      },
    });
  });

  test('reads the listed tables in the given order, with composite keys and other schemas', async () => {
    const { result, memory } = run(sourceParams(database, { tables: 'sales.regions, order_lines' }), {
      batchSize: 1000,
    });
    const summary = await result;
    const records = memory.records();
    expect(summary.recordCount).toBe(3 + TEMPLATE_ROWS.orderLines);
    expect(records.slice(0, 3).map((record) => [record.__table, record.code])).toEqual([
      ['sales_regions', 'ap'],
      ['sales_regions', 'eu'],
      ['sales_regions', 'na'],
    ]);
    const lines = records.slice(3);
    expect(lines.every((record) => record.__table === 'order_lines')).toBe(true);
    const keys = lines.map((record) => [record.order_id, record.line_no] as [number, number]);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(keys).toEqual(sorted);
    expect(new Set(keys.map((key) => key.join('/'))).size).toBe(TEMPLATE_ROWS.orderLines);
    expect(summary.state['public.order_lines']).toEqual({
      keys: ['order_id', 'line_no'],
      after: [TEMPLATE_ROWS.orderLines / 3, 3],
      loaded: TEMPLATE_ROWS.orderLines,
      complete: true,
    });
  });

  test('keeps values exact: big and numeric as text when needed, dates and times as UTC ISO text, json parsed', async () => {
    const { result, memory } = run(sourceParams(database, { tables: 'customers', batchSize: 10 }), {
      maxReadAttempts: 1,
    });
    await result;
    const seventh = memory.records()[6] as DataRecord;
    expect(seventh).toMatchObject({
      id: 7,
      name: 'customer 7',
      email: null,
      balance: '0.91',
      signed_up_at: '2024-01-01 00:07:00+00',
      last_seen: '2024-06-01 12:00:07.123456',
      active: true,
      tags: ['t2'],
      profile: { tier: 3, name: 'customer 7' },
      __table: 'customers',
    });
  });

  test('resumes strictly after the saved key, counting rows already loaded', async () => {
    const initialState = {
      'public.customers': { keys: ['id'], after: [5000], loaded: 5000, complete: false },
      'public.order_lines': { keys: ['order_id', 'line_no'], after: [500, 2], loaded: 1499, complete: false },
    };
    const { result, memory } = run(sourceParams(database, { tables: 'customers, order_lines' }), {
      initialState,
      batchSize: 4000,
    });
    const summary = await result;
    const records = memory.records();
    const customers = records.filter((record) => record.__table === 'customers');
    const lines = records.filter((record) => record.__table === 'order_lines');
    expect(customers.map((record) => record.id)).toEqual(
      Array.from({ length: TEMPLATE_ROWS.customers - 5000 }, (_, index) => 5001 + index),
    );
    expect([lines[0]?.order_id, lines[0]?.line_no]).toEqual([500, 3]);
    expect(lines).toHaveLength(TEMPLATE_ROWS.orderLines - 1499);
    expect(summary.resumed).toBe(true);
    expect(summary.state['public.customers']).toMatchObject({
      loaded: TEMPLATE_ROWS.customers,
      complete: true,
    });
    expect(summary.state['public.order_lines']).toMatchObject({
      loaded: TEMPLATE_ROWS.orderLines,
      complete: true,
    });
  });

  test('skips a table the saved state marks complete, without an incremental key', async () => {
    const initialState = {
      'sales.regions': { keys: ['code'], after: ['na'], loaded: 3, complete: true },
    };
    const { result, memory } = run(sourceParams(database, { tables: 'sales.regions, order_lines' }), {
      initialState,
    });
    await result;
    expect(memory.records().every((record) => record.__table === 'order_lines')).toBe(true);
    expect(memory.records()).toHaveLength(TEMPLATE_ROWS.orderLines);
  });

  test('with an incremental key, a later run from the saved state returns only rows changed since', async () => {
    const own = await createTestDatabase();
    const params = sourceParams(own, { tables: 'events', incrementalKey: 'updated_at' });
    const first = run(params, { batchSize: 64 });
    const firstSummary = await first.result;
    const firstRecords = first.memory.records();
    expect(firstRecords).toHaveLength(TEMPLATE_ROWS.events);
    const order = firstRecords.map((record) => `${record.updated_at}/${String(record.id).padStart(4, '0')}`);
    expect(order).toEqual([...order].sort());
    expect(firstSummary.state['public.events']).toMatchObject({ keys: ['updated_at', 'id'], complete: true });

    await adminQuery(
      own,
      `UPDATE events SET updated_at = '2030-01-01 00:00:00+00' WHERE id = 5;
       INSERT INTO events VALUES (1000, 'new', '2030-01-02 00:00:00+00');`,
    );
    const second = run(params, { initialState: firstSummary.state });
    const secondSummary = await second.result;
    expect(second.memory.records().map((record) => record.id)).toEqual([5, 1000]);
    expect(secondSummary.state['public.events']).toEqual({
      keys: ['updated_at', 'id'],
      after: ['2030-01-02 00:00:00+00', 1000],
      loaded: TEMPLATE_ROWS.events + 2,
      complete: true,
    });

    const third = run(params, { initialState: secondSummary.state });
    expect((await third.result).recordCount).toBe(0);
  });
});

describe('values in every sink', () => {
  const EXACT_TABLE = `
    CREATE TABLE exact_values (
      id bigint PRIMARY KEY, small int8, ints int8[], f float8, j jsonb, jt json, n numeric(38, 12), js jsonb[]
    );
    INSERT INTO exact_values VALUES
      (1, 5, '{1,2,NULL}', 'NaN',
       '{"big": 12345678901234567890, "dec": 0.12345678901234567890123, "x": 1.5, "neg": -0}',
       '{"big": 12345678901234567890, "dec": 0.12345678901234567890123, "x": 1.5e300}',
       12345678901234567890.123456789012, ARRAY['{"a": 9007199254740993}'::jsonb, NULL]),
      (9007199254740993, -9223372036854775808, '{9223372036854775807,-3}', 'Infinity', '[]', '{"k": 1e400}', 0, NULL),
      (9223372036854775807, 0, '{}', '-Infinity', 'null', '"text"', -1.5, '{}'),
      (9223372036854775806, 7, NULL, '-0', '{"a": [1, 2.5]}', '-0', NULL, NULL);
  `;
  let workDir: string;

  beforeAll(async () => {
    await adminQuery(database, EXACT_TABLE);
  });

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'postgres-source-values-'));
  });

  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  test('every integer is a number when safe and a bigint otherwise, json numbers stay exact, -0 and NaN survive', async () => {
    const { result, memory } = run(sourceParams(database, { tables: 'exact_values' }), { batchSize: 10 });
    await result;
    // In key order: 1, 2^53 + 1, 2^63 - 2, 2^63 - 1.
    const [one, two, four, three] = memory.records() as DataRecord[];
    expect(one).toMatchObject({
      id: 1,
      small: 5,
      ints: [1, 2, null],
      j: { big: 12345678901234567890n, dec: '0.12345678901234567890123', x: 1.5, neg: 0 },
      jt: { big: 12345678901234567890n, dec: '0.12345678901234567890123', x: 1.5e300 },
      n: '12345678901234567890.123456789012',
      js: [{ a: 9007199254740993n }, null],
    });
    expect(Number.isNaN(one?.f)).toBe(true);
    expect(two).toMatchObject({
      id: 9007199254740993n,
      small: -9223372036854775808n,
      ints: [9223372036854775807n, -3],
      f: Number.POSITIVE_INFINITY,
      j: [],
      jt: { k: '1e400' },
    });
    expect(three).toMatchObject({
      id: 9223372036854775807n,
      ints: [],
      f: Number.NEGATIVE_INFINITY,
      j: null,
      js: [],
    });
    expect(Object.is(four?.f, -0)).toBe(true);
    expect(Object.is(four?.jt, -0)).toBe(true);
  });

  test('the JSON-lines file and the HTTP body carry the same exact values', async () => {
    const filePath = join(workDir, 'values.jsonl');
    const fileSink = createJsonLinesFileSink({ filePath });
    await run(sourceParams(database, { tables: 'exact_values' }), { sink: fileSink, batchSize: 10 }).result;
    await fileSink.close();
    const lines = (await readFile(filePath, 'utf8')).trimEnd().split('\n');
    const httpSink = createPanoplyHttpSink({
      apiKey: 'a/b',
      apiSecret: 'eA==',
      endpointUrl: 'http://127.0.0.1:9/',
    });
    const bodies: string[] = [];
    await run(sourceParams(database, { tables: 'exact_values' }), {
      batchSize: 10,
      sink: {
        encodeRecord: (record) => httpSink.encodeRecord(record),
        async sendBatch(batch) {
          bodies.push(...batch.body.split('\n\n').filter((part) => part !== ''));
        },
      },
    }).result;
    const withoutState = (text: string) => text.replace(/"__state": ?"[^"]+"/, '"__state":""');
    // The same value tokens: the HTTP body differs only by Python's spaces and ASCII escapes.
    const tokens = (text: string) => withoutState(text).replace(/\s/g, '');
    expect(bodies.map((body) => tokens(decodeURIComponent(body)))).toEqual(lines.map(tokens));
    expect(lines[0]).toContain('"big":12345678901234567890,"dec":"0.12345678901234567890123"');
    expect(lines[0]).toContain('"f":NaN');
    expect(lines[0]).toContain('"js":[{"a":9007199254740993},null]');
    expect(lines[1]).toContain(
      '"id":9007199254740993,"small":-9223372036854775808,"ints":[9223372036854775807,-3],"f":Infinity',
    );
    expect(lines[3]).toContain('"f":-Infinity');
    expect(lines[2]).toContain('"f":-0.0');
    expect(lines[2]).toContain('"jt":-0.0');
  });

  test('resumes after a bigint key beyond 2^53, saved as its exact digits', async () => {
    const { result, memory } = run(sourceParams(database, { tables: 'exact_values' }), {
      batchSize: 10,
      initialState: {
        'public.exact_values': { keys: ['id'], after: ['9007199254740993'], loaded: 2, complete: false },
      },
    });
    const summary = await result;
    expect(memory.records().map((record) => record.id)).toEqual([9223372036854775806n, 9223372036854775807n]);
    expect(summary.state['public.exact_values']).toMatchObject({ after: ['9223372036854775807'], loaded: 4 });
  });
});

describe('state and progress reported by the source', () => {
  async function readAll(params: Record<string, unknown>, batchSize: number) {
    const source = new Stream(params, { logger: () => undefined });
    const events: { type: string; data: unknown }[] = [];
    source.on('*', (type: string, data: unknown) => events.push({ type, data }));
    const batches: DataRecord[][] = [];
    try {
      for (;;) {
        const before = events.length;
        const batch = await source.read(batchSize);
        if (batch === null || batch === undefined) break;
        batches.push([...batch]);
        // The state of a batch is reported before read() returns it, once, with the id its records carry.
        const states = events
          .slice(before)
          .filter((event) => event.type === 'source-state')
          .map((event) => event.data as { stateId: string });
        expect(states.map((state) => state.stateId)).toEqual([batch[0]?.__state]);
      }
    } finally {
      await source.close?.();
    }
    return { batches, events };
  }

  test('reports progress per table with an exact total, reaching it on the last batch', async () => {
    const { batches, events } = await readAll(sourceParams(database, { tables: 'order_lines' }), 1000);
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 1000]);
    const progress = events.filter((event) => event.type === 'progress').map((event) => event.data);
    expect(progress).toEqual([
      { loaded: 0, total: 3000, msg: 'public.order_lines' },
      { loaded: 1000, total: 3000, msg: 'public.order_lines' },
      { loaded: 2000, total: 3000, msg: 'public.order_lines' },
      { loaded: 3000, total: 3000, msg: 'public.order_lines' },
    ]);
    const states = events.filter((event) => event.type === 'source-state');
    expect(
      states.map(
        (event) =>
          (event.data as { state: Record<string, { complete: boolean }> }).state['public.order_lines']
            ?.complete,
      ),
    ).toEqual([false, false, true]);
  });

  test('uses the planner estimate from pg_class when countRows is "estimate"', async () => {
    const own = await createTestDatabase();
    // Make the estimate visibly differ from the true count without touching the planner's statistics.
    await adminQuery(
      own,
      `ALTER TABLE order_lines SET (autovacuum_enabled = false);
       DELETE FROM order_lines WHERE order_id > 500;`,
    );
    const { events } = await readAll(
      sourceParams(own, { tables: 'order_lines', countRows: 'estimate' }),
      2000,
    );
    const progress = events.filter((event) => event.type === 'progress').map((event) => event.data);
    expect(progress[0]).toEqual({ loaded: 0, total: TEMPLATE_ROWS.orderLines, msg: 'public.order_lines' });
    expect(progress[progress.length - 1]).toEqual({
      loaded: 1500,
      total: TEMPLATE_ROWS.orderLines,
      msg: 'public.order_lines',
    });
  });

  test('counts the rows of a never-analysed table even when countRows is "estimate"', async () => {
    const own = await createTestDatabase();
    await adminQuery(
      own,
      `CREATE TABLE fresh (id integer PRIMARY KEY) WITH (autovacuum_enabled = false);
       INSERT INTO fresh SELECT generate_series(1, 250);`,
    );
    const { events } = await readAll(sourceParams(own, { tables: 'fresh', countRows: 'estimate' }), 100);
    const progress = events.filter((event) => event.type === 'progress').map((event) => event.data);
    expect(progress[0]).toEqual({ loaded: 0, total: 250, msg: 'public.fresh' });
  });

  test('removes the state from the source parameters, as Panoply sources do', () => {
    const params = { ...sourceParams(database), state: {} };
    const source = new Stream(params);
    expect('state' in source.source).toBe(false);
  });
});

describe('errors', () => {
  test('a missing table is a TableNotFoundError naming every missing table, not retried', async () => {
    const { error, attempts } = await sourceFailure(
      run(sourceParams(database, { tables: 'customers, nope, sales.none' })).result,
    );
    expect(TableNotFoundError.isInstance(error)).toBe(true);
    expect(error.code).toBe('POSTGRES_TABLE_NOT_FOUND');
    expect((error as TableNotFoundError).tables).toEqual(['public.nope', 'sales.none']);
    expect(error.retryable).toBe(false);
    expect(attempts).toBe(1);
  });

  test('an empty or missing schema is a TableNotFoundError', async () => {
    const { error } = await sourceFailure(run(sourceParams(database, { schema: 'missing' })).result);
    expect(error.code).toBe('POSTGRES_TABLE_NOT_FOUND');
  });

  test('a table without a primary key is refused', async () => {
    const { error } = await sourceFailure(run(sourceParams(database, { tables: 'no_key' })).result);
    expect(NoPrimaryKeyError.isInstance(error)).toBe(true);
    expect(error.code).toBe('POSTGRES_NO_PRIMARY_KEY');
  });

  test('an incremental key that is missing or nullable is refused', async () => {
    const missing = await sourceFailure(
      run(sourceParams(database, { tables: 'order_lines', incrementalKey: 'updated_at' })).result,
    );
    expect(InvalidIncrementalKeyError.isInstance(missing.error)).toBe(true);
    const nullable = await sourceFailure(
      run(sourceParams(database, { tables: 'customers', incrementalKey: 'email' })).result,
    );
    expect(nullable.error.code).toBe('POSTGRES_INVALID_INCREMENTAL_KEY');
  });

  test('a wrong password is an AuthenticationError, not retried', async () => {
    const { error, attempts } = await sourceFailure(
      run(sourceParams(database, { user: 'reader', password: 'wrong password' }), { maxReadAttempts: 3 })
        .result,
    );
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(attempts).toBe(1);
    expect(error.message).not.toContain('wrong password');
  });

  test('a table the user may not read is a PermissionDeniedError', async () => {
    const { error } = await sourceFailure(
      run(sourceParams(database, { user: 'reader', password: READER_PASSWORD, tables: 'secrets' })).result,
    );
    expect(PermissionDeniedError.isInstance(error)).toBe(true);
    expect(error.code).toBe('POSTGRES_PERMISSION_DENIED');
  });

  test('a missing database is a DatabaseNotFoundError', async () => {
    const { error } = await sourceFailure(run(sourceParams('no_such_database')).result);
    expect(DatabaseNotFoundError.isInstance(error)).toBe(true);
  });

  test('a server that refuses connections is a retryable ServerUnreachableError', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const { error, attempts } = await sourceFailure(
      run(sourceParams(database, { port: closedPort }), { maxReadAttempts: 2 }).result,
    );
    expect(ServerUnreachableError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(attempts).toBe(2);
  });

  test('bad parameters are one IncorrectParamError listing each problem', () => {
    let caught: unknown;
    try {
      new Stream({ host: '', database: 'x', user: 'u', port: 70_000, batchSize: 0, tables: 'a,,b' });
    } catch (error) {
      caught = error;
    }
    const error = caught as { code?: string; issues?: { param: string }[] };
    expect(error.code).toBe('DATASOURCE_INCORRECT_PARAM');
    expect(error.issues?.map((issue) => issue.param).sort()).toEqual(['batchSize', 'host', 'port', 'tables']);
  });

  test('a saved state for other key columns is an InvalidStateError', async () => {
    const initialState = {
      'public.customers': { keys: ['email'], after: ['x'], loaded: 1, complete: false },
    };
    const { error } = await sourceFailure(
      run(sourceParams(database, { tables: 'customers' }), { initialState }).result,
    );
    expect(InvalidStateError.isInstance(error)).toBe(true);
  });
});

describe('connection loss', () => {
  test('a backend terminated mid-query is retried: the next read reconnects and continues after the last row', async () => {
    const applicationName = 'terminated-mid-query';
    const locker = adminQuery.bind(null, database);
    const lock = new Client(sourceParams(database));
    await lock.connect();
    try {
      await lock.query('BEGIN; LOCK TABLE order_lines IN ACCESS EXCLUSIVE MODE');
      const { result, memory } = run(
        sourceParams(database, { tables: 'sales.regions, order_lines', applicationName }),
        { batchSize: 1000 },
      );
      // Wait until the source is blocked on the lock inside a query, then terminate its backend.
      for (;;) {
        const waiting = await locker(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        if (waiting.rows.length > 0) {
          await locker('SELECT pg_terminate_backend($1)', [waiting.rows[0].pid]);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Let the retry find the lock again, then release it.
      for (;;) {
        const waiting = await locker(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        if (waiting.rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await lock.query('COMMIT');
      const summary = await result;
      expect(summary.readRetries).toBe(1);
      const records = memory.records();
      expect(records).toHaveLength(3 + TEMPLATE_ROWS.orderLines);
      expect(
        new Set(
          records.map((record) => `${record.__table}/${record.code}/${record.order_id}/${record.line_no}`),
        ).size,
      ).toBe(records.length);
    } finally {
      await lock.end();
    }
  });

  test('a connection dropped between batches loses and repeats nothing', async () => {
    const applicationName = 'terminated-between-batches';
    const logLines: string[] = [];
    const memory = memorySink(async (batch) => {
      if (batch.sequence === 3) {
        await adminQuery(
          database,
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
      }
    });
    const summary = await runDataSource({
      module: { Stream, CONFIG },
      params: sourceParams(database, { tables: 'customers', applicationName }),
      sink: memory.sink,
      progress: 'none',
      batchSize: 2500,
      retryBaseDelayMs: 1,
      output: {
        write: (line: string) => {
          logLines.push(line);
          return true;
        },
      } as unknown as NodeJS.WritableStream,
    });
    // The termination really reached the source: as an error on the idle connection, or on the next read.
    expect(logLines.join('')).toMatch(/connection error|read failed/);
    expect(summary.recordCount).toBe(TEMPLATE_ROWS.customers);
    expect(memory.records().map((record) => record.id)).toEqual(
      Array.from({ length: TEMPLATE_ROWS.customers }, (_, index) => index + 1),
    );
  });

  test('ConnectionLostError is retryable', () => {
    expect(new ConnectionLostError('x').retryable).toBe(true);
  });
});
