import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Environment variable through which global setup hands the server to the test workers. */
export const SERVER_ENV = 'POSTGRES_SOURCE_TEST_SERVER';
/** Database with the sample tables; each test file clones it. */
export const TEMPLATE_DATABASE = 'sample_template';
export const TEMPLATE_ROWS = { customers: 20_000, orderLines: 3_000, events: 200 };
/** Password of the `reader` role (SELECT on the sample tables, not on `secrets`). */
export const READER_PASSWORD = 'reader-password';

/** The superuser login of the test cluster. */
export interface TestServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function testServer(): TestServer {
  const text = process.env[SERVER_ENV];
  if (text === undefined) throw new Error(`${SERVER_ENV} is not set: the jest global setup did not run`);
  return JSON.parse(text) as TestServer;
}

/** Runs SQL as the superuser in `database`. */
export async function adminQuery(database: string, sql: string, values: unknown[] = []) {
  const client = new Client({ ...testServer(), database });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** A fresh copy of the sample database, private to the calling test. */
export async function createTestDatabase(): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery('postgres', `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  return name;
}

/** Source parameters connecting to `database` as the superuser. */
export function sourceParams(database: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const server = testServer();
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    ...extra,
  };
}
