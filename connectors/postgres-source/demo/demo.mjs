// Demo: the PostgreSQL data source run by @sdk/datasource's runner CLI, exactly as a user would.
// Starts a throwaway PostgreSQL cluster (or uses the server the PG* environment variables name when
// no PostgreSQL binaries are installed), loads sample rows, runs the source into a JSON-lines file,
// kills the run midway, resumes it from the state file, and checks that no record was lost.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { ThrowawayClusterError } = require('../dist/index.js');
const {
  createSampleDatabase,
  findPostgresBinaries,
  startThrowawayPostgres,
} = require('../dist/testing/index.js');
const { Client } = require('pg');

const modulePath = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const runnerBin = join(
  dirname(require.resolve('@sdk/datasource/package.json')),
  'dist',
  'bin',
  'sdk-datasource-run.js',
);
const CUSTOMERS = 100_000;
const ORDER_LINES = 30_000;
const BATCH_SIZE = 1000;

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function chooseServer() {
  try {
    findPostgresBinaries();
  } catch (error) {
    if (!ThrowawayClusterError.isInstance(error)) throw error;
    if (process.env.PGHOST === undefined) return undefined;
    const server = {
      host: process.env.PGHOST,
      port: Number(process.env.PGPORT ?? 5432),
      user: process.env.PGUSER ?? process.env.USER ?? 'postgres',
      password: process.env.PGPASSWORD,
    };
    console.log(
      `No PostgreSQL binaries here; using the server from PG* variables: ${server.host}:${server.port}`,
    );
    return { server, stop: async () => {} };
  }
  const startedAt = Date.now();
  const cluster = await startThrowawayPostgres();
  console.log(
    `Started a throwaway PostgreSQL cluster on 127.0.0.1:${cluster.port} in ${seconds(Date.now() - startedAt)}`,
  );
  return { server: cluster, stop: () => cluster.stop() };
}

function runSource(args, { killWhen } = {}) {
  const child = spawn(process.execPath, [runnerBin, modulePath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  let watcher;
  if (killWhen !== undefined) {
    watcher = setInterval(async () => {
      if (await killWhen()) {
        clearInterval(watcher);
        child.kill('SIGKILL');
      }
    }, 5);
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearInterval(watcher);
      resolve({ code, signal, stdout });
    });
  });
}

async function savedState(stateFile) {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')).state;
  } catch {
    return undefined;
  }
}

async function main() {
  const chosen = await chooseServer();
  if (chosen === undefined) {
    console.log('PostgreSQL data source demo skipped: no PostgreSQL server available.');
    console.log(
      '  To run it, install PostgreSQL’s server binaries (Debian/Ubuntu: `apt-get install postgresql`),',
    );
    console.log(
      '  or point PGHOST, PGPORT, PGUSER and PGPASSWORD at a server where that user may CREATE DATABASE.',
    );
    return;
  }
  const { server, stop } = chosen;
  const database = `sdk_demo_${randomBytes(4).toString('hex')}`;
  const workDir = await mkdtemp(join(tmpdir(), 'postgres-source-demo-'));
  try {
    let startedAt = Date.now();
    await createSampleDatabase(server, { database, customers: CUSTOMERS, orderLines: ORDER_LINES });
    const total = CUSTOMERS + ORDER_LINES;
    console.log(
      `Loaded ${total.toLocaleString('en-US')} sample rows (customers, order_lines) in ${seconds(Date.now() - startedAt)}`,
    );

    const output = join(workDir, 'records.jsonl');
    const stateFile = join(workDir, 'state.json');
    const args = [
      '--output',
      output,
      '--state-file',
      stateFile,
      '--batch-size',
      String(BATCH_SIZE),
      '--progress',
      'auto',
      '--host',
      server.host,
      '--port',
      String(server.port),
      '--database',
      database,
      '--user',
      server.user,
      ...(server.password === undefined ? [] : ['--password', server.password]),
      '--tables',
      'customers, order_lines',
    ];

    console.log(
      `\n1) sdk-datasource-run dist/index.js --batch-size ${BATCH_SIZE} ... (killed with SIGKILL at ~40%)`,
    );
    startedAt = Date.now();
    const first = await runSource(args, {
      killWhen: async () =>
        ((await savedState(stateFile))?.['public.customers']?.loaded ?? 0) >= CUSTOMERS * 0.4,
    });
    const firstMs = Date.now() - startedAt;
    if (first.signal !== 'SIGKILL') throw new Error(`the first run was not interrupted (exit ${first.code})`);
    const atKill = (await savedState(stateFile))['public.customers'];
    const linesAtKill = (await readFile(output, 'utf8')).split('\n').filter(Boolean).length;
    console.log(
      `\n   killed after ${seconds(firstMs)}: ${linesAtKill.toLocaleString('en-US')} records in the file, state saved up to customers.id ${atKill.after[0]}`,
    );

    console.log('\n2) the same command again: resumes from the state file');
    startedAt = Date.now();
    const second = await runSource(args);
    const secondMs = Date.now() - startedAt;
    if (second.code !== 0) throw new Error(`the resumed run failed with exit code ${second.code}`);
    const summary = JSON.parse(second.stdout.trim().split('\n').pop());

    const records = (await readFile(output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const keys = new Set(
      records.map((r) => (r.__table === 'customers' ? `c${r.id}` : `o${r.order_id}/${r.line_no}`)),
    );
    const duplicates = records.length - keys.size;
    if (keys.size !== total) throw new Error(`expected ${total} distinct records, found ${keys.size}`);
    if (duplicates !== 0) throw new Error(`${duplicates} records were written twice; expected exactly once`);
    const readRecords = linesAtKill + summary.recordCount;
    console.log('\nSummary');
    console.log(
      `  distinct records     ${keys.size.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (none lost)`,
    );
    console.log(
      `  written twice        ${duplicates} (the resumed run cut what the killed one wrote after its last saved state)`,
    );
    console.log(
      `  batches (resumed)    ${summary.batchCount} of ${BATCH_SIZE} rows max, each with its own __state`,
    );
    console.log(
      `  time                 ${seconds(firstMs)} until the kill + ${seconds(secondMs)} resumed (process start included)`,
    );
    console.log(
      `  throughput           ${Math.round(readRecords / ((firstMs + secondMs) / 1000)).toLocaleString('en-US')} records/s into JSON lines, fsync per batch`,
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
    if (process.env.PGHOST !== undefined && !('baseDir' in server)) {
      const admin = new Client({ ...server, database: 'postgres' });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`).finally(() => admin.end());
    }
    await stop();
  }
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
