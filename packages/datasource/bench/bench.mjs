// Benchmarks for @sdk/datasource. `node bench/bench.mjs [--quick]` (after `pnpm build`).
//  1. Writer throughput into a local HTTP queue stand-in, against one POST per record (goal >= 20x).
//  2. Peak RSS when the sink is 10x slower than the producer, awaited writes (bounded) against
//     unawaited writes (the unbounded buffering the original SDK has).
//  3. Peak RSS as the data grows: the writer (awaited writes) and the runner (read(n) loop into the
//     writer) streaming 5N records into the local HTTP queue, against N records (goal <= 1.25x).
// Every RSS figure is VmHWM read by a child process at its end, one child per measurement.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleRecord } from './sample-record.mjs';

const require = createRequire(import.meta.url);
const { createPanoplySdk, createPanoplyHttpSink } = require('../dist/index.js');

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 5;
const writerRecords = quick ? 5_000 : 50_000;
const perRecordPosts = quick ? 300 : 2_000;
const memoryRecords = quick ? 5_000 : 60_000;
const memoryGoalMB = 128;
const growthSmall = quick ? 5_000 : 100_000;
const growthLarge = growthSmall * 5;
const growthGoalRatio = 1.25;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

async function startServer() {
  const child = fork(join(here, 'http-server-child.mjs'), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('error', reject);
  });
  return { child, url: `http://127.0.0.1:${port}/queue` };
}

async function serverCount(url) {
  return (await fetch(url)).json();
}

async function writerRun(url) {
  const before = await serverCount(url);
  const writer = createPanoplySdk('acct/rand1', 'c2VjcmV0', { endpointUrl: url });
  const start = performance.now();
  for (let index = 0; index < writerRecords; index++) await writer.write('bench', sampleRecord(index));
  const result = await writer.close();
  const seconds = (performance.now() - start) / 1000;
  const after = await serverCount(url);
  if (result.failedBatches.length > 0 || after.records - before.records !== writerRecords) {
    throw new Error(
      `writer run lost records: server saw ${after.records - before.records} of ${writerRecords}`,
    );
  }
  return writerRecords / seconds;
}

async function perRecordRun(url) {
  const before = await serverCount(url);
  const sink = createPanoplyHttpSink({ apiKey: 'acct/rand1', apiSecret: 'c2VjcmV0', endpointUrl: url });
  const start = performance.now();
  for (let index = 0; index < perRecordPosts; index++) {
    const one = { ...sampleRecord(index), __table: 'bench' };
    await sink.sendBatch({ sequence: index + 1, records: [one], body: sink.encodeRecord(one) });
  }
  const seconds = (performance.now() - start) / 1000;
  const after = await serverCount(url);
  if (after.records - before.records !== perRecordPosts) throw new Error('per-record run lost records');
  return perRecordPosts / seconds;
}

/** One child per measurement; the server's count must grow by exactly the records sent. */
async function growthRun(path, count, url) {
  const before = await serverCount(url);
  const output = execFileSync(
    process.execPath,
    [join(here, 'rss-growth-child.mjs'), path, String(count), url],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(output.trim().split('\n').pop());
  const after = await serverCount(url);
  if (result.sentRecordCount !== count || after.records - before.records !== count) {
    throw new Error(
      `${path} growth run lost records: sent ${result.sentRecordCount}, server saw ${after.records - before.records} of ${count}`,
    );
  }
  return result.maxRssMB;
}

function memoryRun(mode) {
  const output = execFileSync(
    process.execPath,
    [join(here, 'memory-child.mjs'), mode, String(memoryRecords)],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(output.trim().split('\n').pop());
}

const server = await startServer();
const writerRates = [];
const perRecordRates = [];
const awaitedRss = [];
const unawaitedRss = [];
const awaitedBuffered = [];
const unawaitedBuffered = [];
const growth = { writer: { small: [], large: [] }, runner: { small: [], large: [] } };
try {
  // One warm-up of each path so JIT and connection set-up do not land in the first measured run.
  await writerRun(server.url);
  await perRecordRun(server.url);
  for (let run = 0; run < runs; run++) {
    writerRates.push(await writerRun(server.url));
    perRecordRates.push(await perRecordRun(server.url));
  }
  // Large and small alternate within each round so load from other work on the machine hits both.
  for (let run = 0; run < runs; run++) {
    for (const path of ['writer', 'runner']) {
      growth[path].large.push(await growthRun(path, growthLarge, server.url));
      growth[path].small.push(await growthRun(path, growthSmall, server.url));
    }
  }
} finally {
  server.child.send('stop');
}
// Memory runs come after the throughput runs: they block this process (execFileSync) for a while.
for (let run = 0; run < runs; run++) {
  {
    const awaited = memoryRun('awaited');
    const unawaited = memoryRun('unawaited');
    awaitedRss.push(awaited.maxRssMB);
    unawaitedRss.push(unawaited.maxRssMB);
    awaitedBuffered.push(awaited.peakBufferedChars / 1e6);
    unawaitedBuffered.push(unawaited.peakBufferedChars / 1e6);
  }
}

const writer = stats(writerRates);
const perRecord = stats(perRecordRates);
const bounded = stats(awaitedRss);
const unbounded = stats(unawaitedRss);
const boundedBuffer = stats(awaitedBuffered);
const unboundedBuffer = stats(unawaitedBuffered);
// Default maxBufferedChars is 4 x 256,000; a write may overshoot it by one record.
const bufferGoalMChars = 1.03;
const throughputRatio = writer.median / perRecord.median;
function growthFigure(path, description) {
  const large = stats(growth[path].large);
  const small = stats(growth[path].small);
  const ratio = large.median / small.median;
  return {
    name: `peak RSS, ${description}, ${growthLarge} records into the local HTTP queue`,
    unit: 'MB',
    ...large,
    baseline: { name: `same with ${growthSmall} records`, ...small },
    ratio,
    goal: `<= ${growthGoalRatio}x baseline (flat as data grows)`,
    // Quick mode's tiny runs end before the heap settles: the goal is judged in full mode only.
    met: quick ? null : ratio <= growthGoalRatio,
  };
}

const figures = [
  {
    name: `writer throughput, ${writerRecords} records into a local HTTP queue`,
    unit: 'records/s',
    ...writer,
    baseline: { name: 'one POST per record', ...perRecord },
    ratio: throughputRatio,
    goal: '>= 20x baseline records/s',
    met: throughputRatio >= 20,
  },
  {
    name: `peak RSS, ${memoryRecords} records, sink 10x slower than the producer, awaited writes`,
    unit: 'MB',
    ...bounded,
    baseline: { name: 'same run with unawaited writes (unbounded buffer)', ...unbounded },
    ratio: bounded.median / unbounded.median,
    goal: `<= ${memoryGoalMB} MB peak RSS (bounded)`,
    met: bounded.median <= memoryGoalMB,
  },
  {
    name: `peak buffered characters, same runs, awaited writes`,
    unit: 'M chars',
    ...boundedBuffer,
    baseline: { name: 'unawaited writes (unbounded buffer)', ...unboundedBuffer },
    ratio: boundedBuffer.median / unboundedBuffer.median,
    goal: `<= ${bufferGoalMChars} M chars (maxBufferedChars + one record)`,
    met: boundedBuffer.max <= bufferGoalMChars,
  },
  growthFigure('writer', 'writer with awaited writes'),
  growthFigure('runner', 'runner read(n) loop into the writer'),
];

const format = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));
console.log(`@sdk/datasource benchmark (${quick ? 'quick' : 'full'}, ${runs} run(s))`);
console.log('figure | median | min | max | baseline median | ratio | goal | met');
for (const figure of figures) {
  console.log(
    [
      figure.name,
      `${format(figure.median)} ${figure.unit}`,
      format(figure.min),
      format(figure.max),
      `${format(figure.baseline.median)} (${figure.baseline.name})`,
      `${figure.ratio.toFixed(2)}x`,
      figure.goal,
      figure.met === null ? 'n/a (quick)' : figure.met ? 'yes' : 'NO',
    ].join(' | '),
  );
}

const resultsDir = join(here, '..', 'bench-results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify(
    {
      package: '@sdk/datasource',
      command: `pnpm --filter @sdk/datasource bench${quick ? ' --quick' : ''}`,
      quick,
      runs,
      machine: {
        cpus: cpus().length,
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
      },
      figures,
    },
    null,
    2,
  )}\n`,
);
// An unmet goal is reported (table, JSON, README), not turned into a failure: --quick is a CI smoke
// test on shared machines. Lost records or a crash do fail the run.
