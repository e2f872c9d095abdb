// Jest global setup (called by jest.global-setup.js after it transpiled the sources): starts ONE
// throwaway PostgreSQL cluster for the whole run and loads the sample template database every test
// file clones. Fails the run, with how to install PostgreSQL, when its binaries are missing: these
// tests never skip.

import { createSampleDatabase } from '../testing/sample-database';
import { startThrowawayPostgres } from '../testing/throwaway-postgres';
import {
  READER_PASSWORD,
  SERVER_ENV,
  TEMPLATE_DATABASE,
  TEMPLATE_ROWS,
  type TestServer,
} from './test-server';

export default async function globalSetup(): Promise<void> {
  const cluster = await startThrowawayPostgres();
  (globalThis as { postgresSourceTestCluster?: unknown }).postgresSourceTestCluster = cluster;
  try {
    await createSampleDatabase(cluster, {
      database: TEMPLATE_DATABASE,
      ...TEMPLATE_ROWS,
      readerPassword: READER_PASSWORD,
    });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const server: TestServer = {
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    password: cluster.password,
  };
  // Workers start after global setup and inherit this environment.
  process.env[SERVER_ENV] = JSON.stringify(server);
}
