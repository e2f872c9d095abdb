import { Client } from 'pg';

/** Where to create the sample database: a server and a user allowed to create databases. */
export interface ServerLogin {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
}

/** Options of {@link createSampleDatabase}. */
export interface SampleDatabaseOptions {
  /** Database to create (it must not exist). */
  database: string;
  /** Rows of `customers` (a bigint identity key, text, numeric, timestamptz, jsonb, arrays). Defaults to 1000. */
  customers?: number;
  /** Rows of `order_lines` (composite key `(order_id, line_no)`, 3 lines per order). Defaults to 300. */
  orderLines?: number;
  /** Rows of `events` (`updated_at` NOT NULL, for incremental reads). Defaults to 200. */
  events?: number;
  /**
   * Also create a login role `reader` with this password, allowed to SELECT every sample table
   * except `secrets`. Defaults to none.
   */
  readerPassword?: string;
}

/** The tables {@link createSampleDatabase} creates, in `public` unless qualified. */
export const SAMPLE_TABLES = ['customers', 'order_lines', 'events', 'no_key', 'secrets', 'sales.regions'];

/**
 * Creates a database with generated sample tables (deterministic content, built server-side with
 * generate_series, so 100 000 rows take well under a second) and runs ANALYZE so planner estimates
 * exist. Also `no_key` (no primary key), `secrets` and `sales.regions` (another schema).
 */
export async function createSampleDatabase(
  server: ServerLogin,
  options: SampleDatabaseOptions,
): Promise<void> {
  const customers = options.customers ?? 1000;
  const orderLines = options.orderLines ?? 300;
  const events = options.events ?? 200;
  const admin = new Client({ ...server, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${options.database.replaceAll('"', '""')}"`);
    if (options.readerPassword !== undefined) {
      const exists = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = 'reader'`);
      if (exists.rowCount === 0) {
        await admin.query(
          `CREATE ROLE reader LOGIN PASSWORD '${options.readerPassword.replaceAll("'", "''")}'`,
        );
      }
    }
  } finally {
    await admin.end();
  }
  const client = new Client({ ...server, database: options.database });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE customers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        email text,
        balance numeric(12, 2) NOT NULL,
        signed_up_at timestamptz NOT NULL,
        last_seen timestamp,
        active boolean NOT NULL,
        tags text[] NOT NULL,
        profile jsonb NOT NULL
      );
      INSERT INTO customers (name, email, balance, signed_up_at, last_seen, active, tags, profile)
      SELECT 'customer ' || i,
             CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || i || '@example.invalid' END,
             (i * 13 % 100000) / 100.0,
             timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute',
             timestamp '2024-06-01 12:00:00.123456' + i * interval '1 second',
             i % 3 <> 0,
             ARRAY['t' || (i % 5)],
             jsonb_build_object('tier', i % 4, 'name', 'customer ' || i)
        FROM generate_series(1, ${customers}) AS i;

      CREATE TABLE order_lines (
        order_id integer NOT NULL,
        line_no smallint NOT NULL,
        amount numeric(10, 2) NOT NULL,
        PRIMARY KEY (order_id, line_no)
      );
      INSERT INTO order_lines
      SELECT (i - 1) / 3 + 1, (i - 1) % 3 + 1, i * 1.5 FROM generate_series(1, ${orderLines}) AS i;

      CREATE TABLE events (
        id integer PRIMARY KEY,
        kind text NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX events_updated_at ON events (updated_at, id);
      INSERT INTO events
      SELECT i, 'kind ' || (i % 3), timestamptz '2025-01-01 00:00:00+00' + (i / 2) * interval '1 hour'
        FROM generate_series(1, ${events}) AS i;

      CREATE TABLE no_key (message text);
      INSERT INTO no_key VALUES ('no primary key here');

      CREATE TABLE secrets (id integer PRIMARY KEY, secret text NOT NULL);
      INSERT INTO secrets VALUES (1, 'only the owner may read this');

      CREATE SCHEMA sales;
      CREATE TABLE sales.regions (code text PRIMARY KEY, name text NOT NULL);
      INSERT INTO sales.regions VALUES ('eu', 'Europe'), ('na', 'North America'), ('ap', 'Asia Pacific');

      ANALYZE;
    `);
    if (options.readerPassword !== undefined) {
      await client.query(`
        GRANT USAGE ON SCHEMA sales TO reader;
        GRANT SELECT ON customers, order_lines, events, no_key, sales.regions TO reader;
      `);
    }
  } finally {
    await client.end();
  }
}
