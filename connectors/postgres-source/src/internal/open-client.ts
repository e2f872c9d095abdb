import { Client } from 'pg';
import type { SourceSettings } from '../source-settings';
import { SOURCE_TYPE_PARSERS } from './value-parsers';

/**
 * A connected client with the source's value parsers and session settings (UTC, ISO dates and
 * intervals, so text forms read the same whatever the server's defaults). `onError` receives errors on
 * an idle connection (a server restart), which would otherwise crash the process.
 */
export async function openClient(settings: SourceSettings, onError: (error: Error) => void): Promise<Client> {
  const client = new Client({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: settings.ssl,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: settings.applicationName,
    types: SOURCE_TYPE_PARSERS,
  });
  client.on('error', onError);
  try {
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'");
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}
