// Demo of @connectors/http-api-source: the sample API (with deliberate 429s and 500s) read through the
// connector's real Airbyte CLI, killed with SIGKILL halfway, and resumed from the last STATE of each
// stream. The demo plays the destination: a record counts as committed only once a later STATE of its
// stream arrives, so whatever followed a stream's last STATE dies with the process. Then it checks that
// every record was committed exactly once across both runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { HttpApiSource } = require('../dist/index.js');
const { startSampleApi } = require('@connectors/sample-api');
const cli = join(here, '..', 'dist', 'bin', 'http-api-source.js');
const work = mkdtempSync(join(tmpdir(), 'http-api-source-demo-'));
const tty = process.stdout.isTTY === true;

const apiOptions = {
  customers: 80,
  orders: 3_000,
  rateLimitEvery: 30,
  retryAfterSeconds: 1,
  failEvery: 9,
  latencyMs: 2,
};

function file(name, value) {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A progress bar redrawn in place on a terminal; a plain line per quarter otherwise. */
function progressBar(label, total) {
  let lastQuarter = -1;
  let lastDraw = 0;
  return {
    update(done, note, force = false) {
      const fraction = Math.min(done / total, 1);
      if (tty) {
        const now = Date.now();
        if (!force && now - lastDraw < 50) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
        process.stdout.write(
          `\r    ${label} [${bar}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total} records, ${note}   `,
        );
      } else {
        const quarter = Math.floor(fraction * 4);
        if (quarter > lastQuarter) {
          lastQuarter = quarter;
          console.log(`    ${label}: ${Math.round(fraction * 100)}% (${done}/${total} records, ${note})`);
        }
      }
    },
    end() {
      if (tty) process.stdout.write('\n');
    },
  };
}

/** Runs one CLI command and resolves with its parsed stdout lines. */
function runCommand(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        messages: out
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      }),
    );
  });
}

/**
 * One `read`. With `killAtRecords`, the child gets SIGKILL as soon as that many records arrived.
 * Returns what the destination committed per stream, the last state per stream, and counts.
 */
function runRead(label, configPath, catalogPath, statePath, expectedRecords, killAtRecords) {
  return new Promise((resolve, reject) => {
    const args = ['read', '--config', configPath, '--catalog', catalogPath];
    if (statePath) args.push('--state', statePath);
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const bar = progressBar(label, expectedRecords);
    const pending = new Map();
    const committed = new Map();
    const received = new Map();
    const lastState = new Map();
    const errors = [];
    let records = 0;
    let checkpoints = 0;
    let retryWarnings = 0;
    let killed = false;
    let tail = '';
    child.stdout.on('data', (chunk) => {
      const lines = (tail + chunk.toString('utf8')).split('\n');
      tail = lines.pop();
      for (const line of lines) {
        if (killed) return;
        const message = JSON.parse(line);
        if (message.type === 'RECORD') {
          const stream = message.record.stream;
          records += 1;
          received.set(stream, (received.get(stream) ?? 0) + 1);
          const list = pending.get(stream) ?? [];
          list.push(message.record.data);
          pending.set(stream, list);
          if (killAtRecords !== undefined && records >= killAtRecords) {
            killed = true;
            child.kill('SIGKILL');
          }
        } else if (message.type === 'STATE') {
          const stream = message.state.stream.stream_descriptor.name;
          committed.set(stream, [...(committed.get(stream) ?? []), ...(pending.get(stream) ?? [])]);
          pending.set(stream, []);
          lastState.set(stream, message.state);
          checkpoints += 1;
        } else if (message.type === 'LOG' && message.log.level === 'WARN') {
          retryWarnings += 1;
        } else if (message.type === 'TRACE' && message.trace.type === 'ERROR') {
          errors.push(message.trace.error.message);
        }
        bar.update(records, `${checkpoints} checkpoints`);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      bar.update(records, `${checkpoints} checkpoints`, true);
      bar.end();
      const seconds = (performance.now() - started) / 1000;
      const dropped = [...pending.values()].reduce((sum, list) => sum + list.length, 0);
      resolve({
        code,
        signal,
        killed,
        committed,
        received,
        lastState,
        records,
        checkpoints,
        retryWarnings,
        dropped,
        errors,
        seconds,
      });
    });
  });
}

const keyOf = (stream, record) => (stream === 'regions' ? record.code : record.id);
const perStream = (map, names) =>
  names.map((name) => `${name} ${map.get(name)?.length ?? map.get(name) ?? 0}`).join(', ');

const api = await startSampleApi(apiOptions);
let failed = false;
try {
  const started = performance.now();
  const expected = {
    regions: api.data.regions,
    customers: api.data.customers,
    orders: api.data.orders,
    customer_notes: api.data.notes,
  };
  const names = Object.keys(expected);
  const total = names.reduce((sum, name) => sum + expected[name].length, 0);
  console.log('HTTP API source: sample API through the Airbyte CLI, interrupted and resumed');
  console.log(
    `  sample API on ${api.url}: ${total} records (${names.map((name) => `${expected[name].length} ${name}`).join(', ')}); every ${apiOptions.rateLimitEvery}th request answered 429 (Retry-After ${apiOptions.retryAfterSeconds}s), every ${apiOptions.failEvery}th of the rest 500`,
  );

  const config = {
    base_url: api.url,
    client_id: api.credentials.clientId,
    client_secret: api.credentials.clientSecret,
    refresh_token: api.credentials.refreshToken,
    page_size: 100,
    retry_base_delay_ms: 200,
  };
  const configPath = file('config.json', config);

  // 1. check and discover through the CLI.
  const check = await runCommand(['check', '--config', configPath]);
  const status = check.messages.find((message) => message.type === 'CONNECTION_STATUS')?.connectionStatus
    .status;
  const discover = await runCommand(['discover', '--config', configPath]);
  const catalog = discover.messages.find((message) => message.type === 'CATALOG')?.catalog;
  if (status !== 'SUCCEEDED' || !catalog)
    throw new Error(`check said ${status}; discover gave ${catalog ? 'a' : 'no'} catalog`);
  const modes = new Map(
    new HttpApiSource()
      .streams(config)
      .map((stream) => [stream.name, stream.isSubstream ? 'substream' : stream.checkpointMode]),
  );
  console.log(
    `  check: ${status} (OAuth2 refresh token); discover: ${catalog.streams.map((stream) => `${stream.name} [${modes.get(stream.name)}]`).join(', ')}`,
  );
  const configured = {
    streams: catalog.streams.map((stream) => {
      const incremental = stream.supported_sync_modes.includes('incremental');
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append' : 'overwrite',
      };
    }),
  };
  const catalogPath = file('catalog.json', configured);

  // 2. First read, killed halfway.
  const statsBefore = { ...api.stats };
  const first = await runRead('run 1', configPath, catalogPath, undefined, total, Math.floor(total / 2));
  const statsMiddle = { ...api.stats };
  if (!first.killed) throw new Error(`the first run was not interrupted (exit code ${first.code})`);
  const summary = (run, before, after) =>
    `${run.records} records in ${run.seconds.toFixed(2)} s (${Math.round(run.records / run.seconds)} records/s), ${run.checkpoints} checkpoints, ${after.requests - before.requests} API requests, retries: ${after.rateLimited - before.rateLimited} after 429 + ${after.failed - before.failed} after 500 (${run.retryWarnings} WARN lines)`;
  console.log(
    `  run 1, killed with SIGKILL at ${first.records} records: ${summary(first, statsBefore, statsMiddle)}`,
  );
  console.log(
    `    committed per stream: ${perStream(first.committed, names)}; ${first.dropped} records after the last STATE dropped`,
  );
  console.log(
    `    resume points: ${names.map((name) => `${name} ${describeState(first.lastState.get(name))}`).join('; ')}`,
  );

  // 3. Second read from the last STATE of each stream.
  const statePath = file('state.json', [...first.lastState.values()]);
  const resumedExpected =
    total -
    [...first.committed.entries()]
      .filter(([name]) => name !== 'regions')
      .reduce((sum, [, list]) => sum + list.length, 0);
  const second = await runRead('run 2', configPath, catalogPath, statePath, resumedExpected);
  const statsAfter = { ...api.stats };
  if (second.code !== 0)
    throw new Error(`the resumed run exited with ${second.code}: ${second.errors.join('; ')}`);
  console.log(`  run 2, resumed with --state: ${summary(second, statsMiddle, statsAfter)}`);
  console.log(`    read per stream: ${perStream(second.received, names)}`);

  // 4. Verify: every record once, none twice (regions is plain full refresh: run 2 replaces it whole).
  const problems = [];
  const lines = [];
  for (const name of names) {
    const keys =
      name === 'regions'
        ? (second.committed.get(name) ?? []).map((record) => keyOf(name, record))
        : [...(first.committed.get(name) ?? []), ...(second.committed.get(name) ?? [])].map((record) =>
            keyOf(name, record),
          );
    const unique = new Set(keys);
    const wanted = expected[name].map((record) => keyOf(name, record));
    const lost = wanted.filter((key) => !unique.has(key)).length;
    const repeated = keys.length - unique.size;
    const extra = [...unique].filter((key) => !wanted.includes(key)).length;
    lines.push(`${name} ${unique.size}/${wanted.length}`);
    if (lost || repeated || extra)
      problems.push(`${name}: ${lost} lost, ${repeated} repeated, ${extra} unexpected`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  verified: ${lines.join(', ')}; tokens issued ${api.stats.tokensIssued}; ${seconds.toFixed(1)} s in all`,
  );
  if (problems.length > 0) {
    failed = true;
    console.error(`  FAILED: ${problems.join('; ')}`);
  } else {
    console.log(
      '  OK: no record lost, none repeated (regions, a plain full refresh, re-read whole by design)',
    );
  }
} catch (error) {
  failed = true;
  console.error(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await api.close();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

function describeState(state) {
  const streamState = state?.stream?.stream_state;
  if (streamState === undefined) return 'none (starts over)';
  if (Array.isArray(streamState.states)) return `${streamState.states.length} customers done`;
  if (streamState.__ab_full_refresh_sync_complete) return 'complete';
  if (streamState.__ab_no_cursor_state_message) return 'full refresh (re-read)';
  if (streamState.page_token) return 'next page token';
  if (streamState.updated_at) return `after (${streamState.updated_at}, id ${streamState.id})`;
  return JSON.stringify(streamState);
}
