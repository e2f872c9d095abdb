// Demo: the PostgreSQL data source run by @sdk/datasource's runner CLI, exactly as a user would.
// Picks a PostgreSQL server (see chooseServer), loads sample rows, runs the source into a JSON-lines file,
// kills the run midway, resumes it from the state file, and checks that no record was lost.
//
// SDK_DEMO_POSTGRES chooses the server: `auto` (the default) takes a throwaway cluster when PostgreSQL's
// server binaries are installed, else the server the PG* variables name (PGHOST set), else an embedded
// PostgreSQL; `cluster`, `env` and `embedded` force one of them. Embedded is PGlite (PostgreSQL compiled
// to WebAssembly, in this process) served over TCP on 127.0.0.1 by its socket server, so the runner's
// `pg` client talks to it as to any server: the demo then needs nothing but Node.
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

const SERVER_CHOICES = ['auto', 'cluster', 'env', 'embedded'];

function hasPostgresBinaries() {
  try {
    findPostgresBinaries();
    return true;
  } catch (error) {
    if (!ThrowawayClusterError.isInstance(error)) throw error;
    return false;
  }
}

async function startCluster() {
  const startedAt = Date.now();
  const cluster = await startThrowawayPostgres();
  console.log(
    `PostgreSQL: a throwaway cluster of the installed server on 127.0.0.1:${cluster.port}, started in ${seconds(Date.now() - startedAt)}`,
  );
  return { server: cluster, stop: () => cluster.stop(), dropDatabase: false };
}

function serverFromEnv() {
  const server = {
    host: process.env.PGHOST,
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? process.env.USER ?? 'postgres',
    password: process.env.PGPASSWORD,
  };
  console.log(`PostgreSQL: the server from the PG* variables, ${server.host}:${server.port}`);
  return { server, stop: async () => {}, dropDatabase: true };
}

async function startEmbedded() {
  const startedAt = Date.now();
  // Loaded only here: the other choices never pay for compiling PostgreSQL's WebAssembly.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  // PGlite is one session; the socket server multiplexes the runner's connections onto it.
  const socketServer = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await socketServer.start();
  const port = Number(socketServer.getServerConn().split(':').pop());
  const { server_version: version } = (await db.query('SHOW server_version')).rows[0];
  console.log(
    `PostgreSQL: embedded, PGlite (PostgreSQL ${version} in WebAssembly) on 127.0.0.1:${port} through its socket server, started in ${seconds(Date.now() - startedAt)}`,
  );
  return {
    // PGlite takes any user and serves one database whatever the name a client asks for.
    server: { host: '127.0.0.1', port, user: 'postgres' },
    stop: async () => {
      await socketServer.stop();
      await db.close();
    },
    dropDatabase: false,
  };
}

async function chooseServer() {
  const choice = (process.env.SDK_DEMO_POSTGRES ?? 'auto').toLowerCase();
  if (!SERVER_CHOICES.includes(choice)) {
    throw new Error(`SDK_DEMO_POSTGRES=${choice}: use one of ${SERVER_CHOICES.join(', ')}`);
  }
  if (choice === 'cluster' || (choice === 'auto' && hasPostgresBinaries())) return startCluster();
  if (choice === 'env' || (choice === 'auto' && process.env.PGHOST !== undefined)) {
    if (process.env.PGHOST === undefined) throw new Error('SDK_DEMO_POSTGRES=env needs PGHOST');
    return serverFromEnv();
  }
  if (choice === 'auto')
    console.log('No PostgreSQL server binaries here and no PGHOST: using an embedded one.');
  return startEmbedded();
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
  const { server, stop, dropDatabase } = await chooseServer();
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
    if (dropDatabase) {
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
