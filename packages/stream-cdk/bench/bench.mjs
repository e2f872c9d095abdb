// Benchmark of @sdk/stream-cdk: records/s through the real CLI into a pipe, against a bare
// JSON.stringify + write loop in the same run, and peak RSS as the record count grows.
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

/** Spawns a child writing JSON lines into a pipe we drain; returns seconds, records seen and peak RSS. */
function runChild(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let records = 0;
    let stderr = '';
    let tail = '';
    child.stdout.on('data', (chunk) => {
      // Count RECORD lines the way a consumer would see them.
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop();
      for (const line of lines) if (line.startsWith('{"type":"RECORD"')) records++;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`child exited ${code}: ${stderr}`));
      const rss = /MAXRSS_KB (\d+)/.exec(stderr);
      resolve({ seconds, records, maxRssMB: rss ? Number(rss[1]) / 1024 : Number.NaN });
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

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

/**
 * Runs the measured side and its baseline alternately (`runs` times each), so that noise from other
 * work on this shared machine hits both sides alike.
 */
async function measurePair(measured, baseline, pick) {
  const values = { measured: [], baseline: [] };
  for (let run = 0; run < runs; run++) {
    for (const [side, { args, expectedRecords }] of Object.entries({ measured, baseline })) {
      const result = await runChild(args);
      if (result.records !== expectedRecords)
        throw new Error(`expected ${expectedRecords} records, saw ${result.records}`);
      values[side].push(pick(result));
    }
  }
  return [stats(values.measured), stats(values.baseline)];
}

const figures = [];
try {
  const recordsPerSecond = (result) => throughputRecords / result.seconds;
  const [cdk, bare] = await measurePair(
    { args: cdkArgs(throughputRecords), expectedRecords: throughputRecords },
    { args: bareArgs(throughputRecords), expectedRecords: throughputRecords },
    recordsPerSecond,
  );
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

  const [large, small] = await measurePair(
    { args: cdkArgs(rssLarge), expectedRecords: rssLarge },
    { args: cdkArgs(rssSmall), expectedRecords: rssSmall },
    (result) => result.maxRssMB,
  );
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
    `| ${figure.name} (${figure.unit}) | ${format(figure.median)} | ${format(figure.min)} | ${format(figure.max)} | ${format(figure.baseline.median)} | ${figure.ratio.toFixed(2)}x | ${figure.goal} | ${figure.met === null ? 'n/a (quick)' : figure.met ? 'yes' : 'no'} |`,
  );
}
