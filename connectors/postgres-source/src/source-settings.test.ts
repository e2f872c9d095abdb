import { IncorrectParamError } from '@sdk/datasource';
import { parseSourceSettings } from './source-settings';

const valid = { host: 'db.internal', database: 'shop', user: 'reader', password: 'p' };

function issuesOf(source: Record<string, unknown>): string[] {
  try {
    parseSourceSettings(source);
  } catch (error) {
    if (!IncorrectParamError.isInstance(error)) throw error;
    return error.issues.map((issue) => issue.param).sort();
  }
  throw new Error('expected an IncorrectParamError');
}

test('fills defaults', () => {
  expect(parseSourceSettings(valid)).toEqual({
    host: 'db.internal',
    port: 5432,
    database: 'shop',
    user: 'reader',
    password: 'p',
    schema: 'public',
    tables: undefined,
    batchSize: undefined,
    incrementalKey: undefined,
    countRows: 'exact',
    tablePrefix: '',
    ssl: false,
    connectTimeoutMs: 10_000,
    applicationName: 'sdk-postgres-source',
  });
});

test('coerces command-line strings and resolves tables in the schema', () => {
  const settings = parseSourceSettings({
    ...valid,
    port: '6543',
    batchSize: '250',
    schema: 'sales',
    tables: 'a, b.c',
  });
  expect(settings.port).toBe(6543);
  expect(settings.batchSize).toBe(250);
  expect(settings.tables).toEqual([
    { schema: 'sales', name: 'a' },
    { schema: 'b', name: 'c' },
  ]);
});

test('lists every problem at once', () => {
  expect(
    issuesOf({ port: 0, batchSize: 1.5, countRows: 'guess', tables: 'x y', connectTimeoutMs: -1 }),
  ).toEqual(['batchSize', 'connectTimeoutMs', 'countRows', 'database', 'host', 'port', 'tables', 'user']);
});

test('never echoes the password', () => {
  try {
    parseSourceSettings({ ...valid, password: 12345678, port: 'abc' });
  } catch (error) {
    expect(String((error as Error).message)).not.toContain('12345678');
    return;
  }
  throw new Error('expected an error');
});
