// Benchmarks for @sdk/duckdb-sync. `node bench/bench.mjs [--quick]` (after `pnpm build`).
//  1. Records/s of a sync of an Airbyte source command into DuckDB (syncSourceCommand: spec, discover,
//     read, typed tables, PK dedup, a transaction per STATE), against the same command's `read`
//     writing its JSON lines to a file, in the same run.
//  2. The same in process: syncSource over the Source object, against its readBatches written as JSON
//     lines to a file.
//  3. Peak RSS of the in-process sync at 4N records against N (goal <= 1.25x: flat as data grows).
// Every figure comes from a child process of its own (VmHWM read at its end); modes alternate within
// each round so load from other work on the machine hits all of them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;
const records = quick ? 20_000 : 100_000;
const growthSmall = quick ? 20_000 : 50_000;
const growthLarge = growthSmall * 4;
const growthGoalRatio = 1.25;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function measure(mode, count) {
  const dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-bench-'));
  try {
    const output = execFileSync(process.execPath, [join(here, 'sync-child.mjs'), mode, String(count), dir], {
      encoding: 'utf8',
    });
    const result = JSON.parse(output.trim().split('\n').pop());
    if (result.rows !== count) throw new Error(`${mode} wrote ${result.rows} of ${count} records`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rates = { 'duckdb-command': [], 'jsonl-command': [], 'duckdb-inprocess': [], 'jsonl-inprocess': [] };
const growth = { small: [], large: [] };
// One warm-up so the first measured run does not pay for cold caches.
measure('duckdb-inprocess', 1_000);
for (let run = 0; run < runs; run++) {
  for (const mode of Object.keys(rates)) {
    const result = measure(mode, records);
    rates[mode].push(records / (result.ms / 1000));
  }
  growth.large.push(measure('duckdb-inprocess', growthLarge).maxRssMB);
  growth.small.push(measure('duckdb-inprocess', growthSmall).maxRssMB);
}

function rateFigure(name, mode, baselineMode, baselineName) {
  const value = stats(rates[mode]);
  const baseline = stats(rates[baselineMode]);
  const ratio = value.median / baseline.median;
  return {
    name,
    unit: 'records/s',
    ...value,
    baseline: { name: baselineName, ...baseline },
    ratio,
    goal: '>= 0.25x baseline records/s (typed tables, dedup and a transaction per STATE, against plain text)',
    met: ratio >= 0.25,
  };
}

const large = stats(growth.large);
const small = stats(growth.small);
const growthRatio = large.median / small.median;
const figures = [
  rateFigure(
    `sync of an Airbyte source command into DuckDB, ${records} records (spec, discover, read, PK dedup)`,
    'duckdb-command',
    'jsonl-command',
    'the same command writing its JSON lines to a file',
  ),
  rateFigure(
    `in-process sync of the same Source into DuckDB, ${records} records`,
    'duckdb-inprocess',
    'jsonl-inprocess',
    'the same Source read in process, written as JSON lines to a file',
  ),
  {
    name: `peak RSS, in-process sync of ${growthLarge} records into DuckDB`,
    unit: 'MB',
    ...large,
    baseline: { name: `same with ${growthSmall} records`, ...small },
    ratio: growthRatio,
    goal: `<= ${growthGoalRatio}x baseline (flat as data grows)`,
    met: growthRatio <= growthGoalRatio,
  },
];

const format = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));
console.log(`@sdk/duckdb-sync benchmark (${quick ? 'quick' : 'full'}, ${runs} run(s))`);
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
      figure.met ? 'yes' : 'NO',
    ].join(' | '),
  );
}

const resultsDir = join(here, '..', 'bench-results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify(
    {
      package: '@sdk/duckdb-sync',
      command: `pnpm --filter @sdk/duckdb-sync bench${quick ? ' --quick' : ''}`,
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
