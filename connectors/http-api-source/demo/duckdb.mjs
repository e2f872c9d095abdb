// Demo: the sample HTTP API source synced into a local DuckDB file with @sdk/duckdb-sync's command (the
// source run as any Airbyte source would be, as a command), then synced again (incremental streams go on
// from the state stored in the same file), then a query over the tables.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { startSampleApi } = require('@connectors/sample-api');
const duckdbSync = join(dirname(require.resolve('@sdk/duckdb-sync/package.json')), 'dist', 'bin.js');
const source = join(here, '..', 'dist', 'bin', 'http-api-source.js');
const work = mkdtempSync(join(tmpdir(), 'duckdb-demo-'));

/** Runs a command with its output shown, and resolves with its exit code. */
function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

const api = await startSampleApi({
  customers: 80,
  orders: 3_000,
  rateLimitEvery: 30,
  retryAfterSeconds: 0,
  failEvery: 9,
});
let failed = false;
try {
  const db = join(work, 'shop.duckdb');
  const config = join(work, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      base_url: api.url,
      api_key: api.credentials.apiKey,
      page_size: 100,
      retry_base_delay_ms: 50,
    }),
  );
  console.log(
    `Sample API on ${api.url}; syncing it into ${db} with sdk-duckdb-sync (twice: the second run is incremental)`,
  );
  for (const pass of ['first sync', 'second sync']) {
    console.log(`\n  ${pass}:`);
    const code = await run([
      duckdbSync,
      'sync',
      '--db',
      db,
      '--config',
      config,
      '--',
      process.execPath,
      source,
    ]);
    if (code !== 0) failed = true;
  }
  console.log('\n  a query over the synced tables:');
  const query =
    'select status, count(*) as orders, sum(amount_cents) / 100 as amount from orders group by all order by 1';
  if ((await run([duckdbSync, 'query', '--db', db, query])) !== 0) failed = true;
} finally {
  await api.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
