// Benchmark of @sdk/stream-cdk: records/s through the real CLI into a pipe, against a bare
// JSON.stringify + write loop and against the same source written with faros-airbyte-cdk (run through
// its own CLI), all in the same run; and peak RSS as the record count grows and against faros.
// Usage: pnpm --filter @sdk/stream-cdk bench [--quick]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 5;
const throughputRecords = quick ? 20_000 : 1_000_000;
const rssSmall = quick ? 20_000 : 1_000_000;
const rssLarge = quick ? 100_000 : 5_000_000;
const work = mkdtempSync(join(tmpdir(), 'stream-cdk-bench-'));

function catalogFile() {
  const path = join(work, 'catalog.json');
  writeFileSync(
    path,
    JSON.stringify({
      streams: [
        {
          stream: { name: 'numbers', json_schema: {}, supported_sync_modes: ['full_refresh'] },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'overwrite',
        },
      ],
    }),
  );
  return path;
}

function configFile(count) {
  const path = join(work, `config-${count}.json`);
  writeFileSync(path, JSON.stringify({ record_count: count }));
  return path;
}

/**
 * How each side writes a RECORD line. Ours and the bare loop put `type` first; faros-airbyte-cdk builds
 * its messages with `record` first and `type` last.
 */
const recordLine = {
  typeFirst: (line) => line.startsWith('{"type":"RECORD"'),
  typeLast: (line) => line.startsWith('{"record":') && line.endsWith(',"type":"RECORD"}'),
};

/**
 * Spawns a child writing JSON lines into a pipe we drain; returns seconds, records seen, the last
 * RECORD line and peak RSS.
 */
function runChild(args, isRecordLine) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let records = 0;
    let lastRecordLine = '';
    let stderr = '';
    let tail = '';
    child.stdout.on('data', (chunk) => {
      // Count RECORD lines the way a consumer would see them.
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop();
      for (const line of lines) {
        if (isRecordLine(line)) {
          records++;
          lastRecordLine = line;
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`child exited ${code}: ${stderr}`));
      const rss = /MAXRSS_KB (\d+)/.exec(stderr);
      resolve({ seconds, records, lastRecordLine, maxRssMB: rss ? Number(rss[1]) / 1024 : Number.NaN });
    });
  });
}

const cdkArgs = (count) => [
  join(here, 'cdk-source.mjs'),
  'read',
  '--config',
  configFile(count),
  '--catalog',
  catalogFile(),
];
const bareArgs = (count) => [join(here, 'bare-writer.mjs'), String(count)];
const farosArgs = (count) => [
  join(here, 'faros-source.mjs'),
  'read',
  '--config',
  configFile(count),
  '--catalog',
  catalogFile(),
];

/** A run counts only if every record arrived and the last one is the record the source must end with. */
function checkOutput(side, result, expectedRecords) {
  if (result.records !== expectedRecords)
    throw new Error(`${side}: expected ${expectedRecords} records, saw ${result.records}`);
  if (expectedRecords === 0) return;
  const { record } = JSON.parse(result.lastRecordLine);
  const id = expectedRecords - 1;
  const expected = JSON.stringify({ id, name: `item-${id}`, value: id * 2 });
  if (record.stream !== 'numbers' || JSON.stringify(record.data) !== expected)
    throw new Error(`${side}: last record is ${result.lastRecordLine}, expected data ${expected}`);
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

/**
 * Runs every side in turn, round after round (`runs` rounds), so that noise from other work on this
 * shared machine hits all sides alike. Returns, per side, the stats of each picked value.
 */
async function measureSides(sides, picks) {
  const values = Object.fromEntries(
    Object.keys(sides).map((side) => [side, Object.fromEntries(Object.keys(picks).map((p) => [p, []]))]),
  );
  for (let run = 0; run < runs; run++) {
    for (const [side, { args, expectedRecords, isRecordLine }] of Object.entries(sides)) {
      const result = await runChild(args, isRecordLine);
      checkOutput(side, result, expectedRecords);
      for (const [name, pick] of Object.entries(picks)) values[side][name].push(pick(result));
    }
  }
  return Object.fromEntries(
    Object.entries(values).map(([side, byPick]) => [
      side,
      Object.fromEntries(Object.entries(byPick).map(([name, list]) => [name, stats(list)])),
    ]),
  );
}

const figures = [];
try {
  const throughput = await measureSides(
    {
      cdk: {
        args: cdkArgs(throughputRecords),
        expectedRecords: throughputRecords,
        isRecordLine: recordLine.typeFirst,
      },
      bare: {
        args: bareArgs(throughputRecords),
        expectedRecords: throughputRecords,
        isRecordLine: recordLine.typeFirst,
      },
      faros: {
        args: farosArgs(throughputRecords),
        expectedRecords: throughputRecords,
        isRecordLine: recordLine.typeLast,
      },
    },
    {
      recordsPerSecond: (result) => throughputRecords / result.seconds,
      maxRssMB: (result) => result.maxRssMB,
    },
  );
  const cdk = throughput.cdk.recordsPerSecond;
  const bare = throughput.bare.recordsPerSecond;
  const faros = throughput.faros.recordsPerSecond;
  figures.push({
    name: `records/s, ${throughputRecords} records through the CLI into a pipe`,
    unit: 'records/s',
    ...cdk,
    baseline: { name: 'bare JSON.stringify + write loop (same messages, same pipe)', ...bare },
    ratio: cdk.median / bare.median,
    goal: '>= 0.70x baseline records/s',
    // Quick mode's tiny runs measure process start-up, not throughput: the goal is judged in full mode only.
    met: quick ? null : cdk.median / bare.median >= 0.7,
  });
  figures.push({
    name: `records/s, ${throughputRecords} records through the CLI into a pipe, vs faros-airbyte-cdk`,
    unit: 'records/s',
    ...cdk,
    baseline: { name: 'faros-airbyte-cdk 0.23.19, same source through its own CLI (same pipe)', ...faros },
    ratio: cdk.median / faros.median,
    goal: '>= 2.00x baseline records/s',
    met: quick ? null : cdk.median / faros.median >= 2,
  });
  const cdkRss = throughput.cdk.maxRssMB;
  const farosRss = throughput.faros.maxRssMB;
  figures.push({
    name: `peak RSS of the CLI reading ${throughputRecords} records, vs faros-airbyte-cdk`,
    unit: 'MB',
    ...cdkRss,
    baseline: { name: 'peak RSS of faros-airbyte-cdk reading the same records', ...farosRss },
    ratio: cdkRss.median / farosRss.median,
    goal: 'none set (for information)',
    met: null,
  });

  const rssGrowth = await measureSides(
    {
      large: { args: cdkArgs(rssLarge), expectedRecords: rssLarge, isRecordLine: recordLine.typeFirst },
      small: { args: cdkArgs(rssSmall), expectedRecords: rssSmall, isRecordLine: recordLine.typeFirst },
    },
    { maxRssMB: (result) => result.maxRssMB },
  );
  const large = rssGrowth.large.maxRssMB;
  const small = rssGrowth.small.maxRssMB;
  figures.push({
    name: `peak RSS of the CLI reading ${rssLarge} records`,
    unit: 'MB',
    ...large,
    baseline: { name: `peak RSS reading ${rssSmall} records`, ...small },
    ratio: large.median / small.median,
    goal: '<= 1.25x baseline (flat as the record count grows)',
    met: quick ? null : large.median / small.median <= 1.25,
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}

const result = {
  package: '@sdk/stream-cdk',
  command: `pnpm --filter @sdk/stream-cdk bench${quick ? ' --quick' : ''}`,
  quick,
  runs,
  machine: {
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  },
  figures,
};
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

const format = (value) => (value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
console.log(`@sdk/stream-cdk bench (${quick ? 'quick' : 'full'}, ${runs} runs, node ${process.version})`);
console.log('| figure | median | min | max | baseline median | ratio | goal | met |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const figure of figures) {
  console.log(
    `| ${figure.name} (${figure.unit}) | ${format(figure.median)} | ${format(figure.min)} | ${format(figure.max)} | ${format(figure.baseline.median)} | ${figure.ratio.toFixed(2)}x | ${figure.goal} | ${figure.met === null ? (quick ? 'n/a (quick)' : 'n/a') : figure.met ? 'yes' : 'no'} |`,
  );
}
