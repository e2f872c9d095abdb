// The adapters matrix benchmark. `node bench/bench.mjs [--quick]` (after `pnpm build`).
// Every new cell of the matrix runs the same synthetic data (fixtures.cjs) through its adapter and is
// timed against the connector's native path in the same rounds, alternating, one process per run:
//   DataSource cells (Airbyte CLI, Flow capture, AMP input tool) against the Panoply runner into a
//   JSON-lines file; Source cells (Panoply runner, AMP input tool) against the Airbyte CLI into a file.
// Memory: the peak RSS (VmHWM) of the process running the adapter at 4x the records, against 1x.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;
const records = quick ? 5_000 : 100_000;
const growth = 4;
const timeGoal = 1.2;
const memoryGoal = 1.25;

// Each cell has two baselines: the connector's native path (its own engine, the issue's measure), and
// the target engine's native path on the same data (a connector written for that engine), which isolates
// what the adapter itself adds from what the engine costs anyway (Arrow and gRPC, the runner's encoding).
const cells = [
  {
    name: 'datasource-airbyte',
    label: 'DataSource as an Airbyte source (CLI read)',
    native: 'datasource-native',
    engine: 'source-native',
  },
  {
    name: 'datasource-flow',
    label: 'DataSource as a Flow capture (session)',
    native: 'datasource-native',
    engine: 'source-flow',
  },
  {
    name: 'datasource-amp',
    label: 'DataSource as an AMP input tool (gRPC, Arrow)',
    native: 'datasource-native',
    engine: 'amp-native',
  },
  {
    name: 'source-panoply',
    label: 'Source through the Panoply runner (JSON lines)',
    native: 'source-native',
    engine: 'datasource-native',
  },
  {
    name: 'source-amp',
    label: 'Source as an AMP input tool (gRPC, Arrow)',
    native: 'source-native',
    engine: 'amp-native',
  },
];
const natives = {
  'datasource-native': 'a DataSource through the Panoply runner into a JSON-lines file',
  'source-native': 'a stream-cdk Source through the Airbyte CLI into a file',
  'source-flow': 'a stream-cdk Source as a Flow capture (the existing shim)',
  'amp-native': 'an input tool written for AMP, writing the same rows as Arrow',
};

function measure(cell, count) {
  const output = execFileSync(process.execPath, [join(here, 'cell-child.mjs'), cell, String(count)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const seconds = new Map();
const rssSmall = new Map();
const rssLarge = new Map();
const push = (map, key, value) => map.set(key, [...(map.get(key) ?? []), value]);
for (let round = 0; round < runs; round += 1) {
  // Alternate natives and cells in every round, so that a busy moment of the machine hits both.
  for (const cell of [...Object.keys(natives), ...cells.map(({ name }) => name)]) {
    const small = measure(cell, records);
    push(seconds, cell, small.seconds);
    push(rssSmall, cell, small.rssMB);
    if (!(cell in natives)) push(rssLarge, cell, measure(cell, records * growth).rssMB);
    console.log(`  round ${round + 1}: ${cell} ${small.seconds.toFixed(2)} s, ${small.rssMB.toFixed(0)} MB`);
  }
}

const figures = [];
for (const { name, label, native, engine } of cells) {
  const time = stats(seconds.get(name));
  for (const [baselineCell, what] of [
    [native, "the connector's native path"],
    [engine, "the engine's native path"],
  ]) {
    const baseline = stats(seconds.get(baselineCell));
    const ratio = time.median / baseline.median;
    figures.push({
      name: `${label}, ${records.toLocaleString('en-US')} records, against ${what}`,
      unit: 's',
      ...time,
      baseline: { name: natives[baselineCell], ...baseline },
      ratio,
      goal: `<= ${timeGoal}x`,
      met: quick ? null : ratio <= timeGoal,
    });
  }
  const large = stats(rssLarge.get(name));
  const small = stats(rssSmall.get(name));
  const memoryRatio = large.median / small.median;
  figures.push({
    name: `${label}: peak RSS at ${(records * growth).toLocaleString('en-US')} records`,
    unit: 'MB',
    ...large,
    baseline: { name: `the same at ${records.toLocaleString('en-US')} records`, ...small },
    ratio: memoryRatio,
    goal: `<= ${memoryGoal}x (flat as the data grows)`,
    met: quick ? null : memoryRatio <= memoryGoal,
  });
}

const format = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));
console.log(`Adapters matrix benchmark (${quick ? 'quick' : 'full'}, ${runs} run(s))`);
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
      package: '@sdk-internal/adapters-bench',
      command: `pnpm bench adapters${quick ? ' --quick' : ''}`,
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
// An unmet goal is reported, not turned into a failure: --quick is a CI smoke test on shared machines.
// A lost record or a crash does fail the run (cell-child.mjs checks every count).
