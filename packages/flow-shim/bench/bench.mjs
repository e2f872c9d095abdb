#!/usr/bin/env node
// `pnpm --filter @sdk/flow-shim bench [--quick]`: documents per second of the in-process Airbyte
// shim (a @sdk/stream-cdk source behind AirbyteCaptureShim, Flow responses on stdout) against the
// same source read directly through the stream-cdk CLI (Airbyte messages on stdout), in the same
// run, alternating. Both run as child processes whose stdout the bench drains and counts.
// Also peak RSS (VmHWM of the child) of the shim, and of a native capture emitting the same rows
// (native-read.mjs), reading 5x the records against 1x in the same rounds, to show whether memory
// stays flat as the data grows.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from './bench-source.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const recordsArgument = process.argv.find((argument) => argument.startsWith('--records='));
const records = recordsArgument
  ? Number(recordsArgument.slice('--records='.length))
  : quick
    ? 20_000
    : 1_000_000;
const runs = quick ? 1 : 5;
const largeRecords = records * 5;
const rssGrowthGoalRatio = 1.25;

const work = mkdtempSync(path.join(os.tmpdir(), 'flow-shim-bench-'));
const configFile = path.join(work, 'config.json');
const catalogFile = path.join(work, 'catalog.json');
writeFileSync(configFile, JSON.stringify({ records }));
writeFileSync(catalogFile, JSON.stringify(catalog));

const openRequestFor = (count) => ({
  open: {
    capture: {
      name: 'bench/capture',
      connectorType: 'LOCAL',
      config: { records: count },
      bindings: [
        {
          resourceConfig: { stream: 'orders', syncMode: 'incremental', cursorField: ['updated'] },
          resourcePath: ['orders'],
          collection: { name: 'bench/orders', writeSchema: {}, key: ['/id'] },
          stateKey: 'orders',
        },
      ],
    },
    range: { keyEnd: 4294967295, rClockEnd: 4294967295 },
    state: {},
  },
});
const openLine = `${JSON.stringify(openRequestFor(records))}\n`;
const largeOpenLine = `${JSON.stringify(openRequestFor(largeRecords))}\n`;

function run(script, args, input) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(here, script), ...args], {
      stdio: ['pipe', 'pipe', 'ignore', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let lines = 0;
    let documents = 0;
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      const pieces = (tail + text).split('\n');
      tail = pieces.pop();
      for (const line of pieces) {
        lines += 1;
        if (line.startsWith('{"captured"') || line.startsWith('{"type":"RECORD"')) documents += 1;
      }
    });
    let rss = '';
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (text) => {
      rss += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve({ ms, lines, documents, rssMiB: Number(rss.trim()) / 1024 });
    });
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
};

const shim = [];
const direct = [];
const shimLarge = [];
const native = [];
const nativeLarge = [];
try {
  // One warm-up pair keeps first-run disk and JIT effects out of the figures.
  await run('direct-read.mjs', ['read', '--config', configFile, '--catalog', catalogFile]);
  await run('shim-read.mjs', [], openLine);
  for (let index = 0; index < runs; index += 1) {
    const pair = [
      ['direct', () => run('direct-read.mjs', ['read', '--config', configFile, '--catalog', catalogFile])],
      ['shim', () => run('shim-read.mjs', [], openLine)],
      ['shimLarge', () => run('shim-read.mjs', [], largeOpenLine)],
      ['native', () => run('native-read.mjs', [], openLine)],
      ['nativeLarge', () => run('native-read.mjs', [], largeOpenLine)],
    ];
    if (index % 2 === 1) pair.reverse();
    for (const [kind, start] of pair) {
      const result = await start();
      const expected = kind.endsWith('Large') ? largeRecords : records;
      if (result.documents !== expected)
        throw new Error(`${kind} produced ${result.documents} documents, expected ${expected}`);
      ({ shim, direct, shimLarge, native, nativeLarge })[kind].push(result);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rate = (results) => summary(results.map((result) => records / (result.ms / 1000)));
const time = (results) => summary(results.map((result) => result.ms));
const rss = (results) => summary(results.map((result) => result.rssMiB));
const shimTime = time(shim);
const directTime = time(direct);
const timeRatio = shimTime.median / directTime.median;
const rssRatio = rss(shim).median / rss(direct).median;
const rssGrowthRatio = rss(shimLarge).median / rss(shim).median;
const nativeRssGrowthRatio = rss(nativeLarge).median / rss(native).median;
const figures = [
  {
    name: `in-process Airbyte shim, ${records.toLocaleString('en-US')} records (wall time)`,
    unit: 'ms',
    ...shimTime,
    baseline: { name: 'stream-cdk CLI read of the same source', ...directTime },
    ratio: Number(timeRatio.toFixed(3)),
    goal: '<= 1.30x baseline time',
    met: timeRatio <= 1.3,
  },
  {
    name: 'in-process Airbyte shim throughput',
    unit: 'documents/s',
    ...rate(shim),
    baseline: { name: 'stream-cdk CLI read of the same source', ...rate(direct) },
    ratio: Number((rate(shim).median / rate(direct).median).toFixed(3)),
    goal: '>= 0.77x baseline rate (same goal as time)',
    met: rate(shim).median / rate(direct).median >= 1 / 1.3,
  },
  {
    name: 'in-process Airbyte shim peak RSS',
    unit: 'MiB',
    ...rss(shim),
    baseline: { name: 'stream-cdk CLI read of the same source', ...rss(direct) },
    ratio: Number(rssRatio.toFixed(3)),
    goal: 'informational',
    met: null,
  },
  {
    name: `in-process Airbyte shim peak RSS, ${largeRecords.toLocaleString('en-US')} records`,
    unit: 'MiB',
    ...rss(shimLarge),
    baseline: { name: `same shim, ${records.toLocaleString('en-US')} records`, ...rss(shim) },
    ratio: Number(rssGrowthRatio.toFixed(3)),
    goal: `<= ${rssGrowthGoalRatio}x baseline (flat as data grows)`,
    // Quick mode's tiny runs end before the heap settles: the goal is judged in full mode only.
    met: quick ? null : rssGrowthRatio <= rssGrowthGoalRatio,
  },
  {
    name: `native capture peak RSS, ${largeRecords.toLocaleString('en-US')} records`,
    unit: 'MiB',
    ...rss(nativeLarge),
    baseline: { name: `same native capture, ${records.toLocaleString('en-US')} records`, ...rss(native) },
    ratio: Number(nativeRssGrowthRatio.toFixed(3)),
    goal: `<= ${rssGrowthGoalRatio}x baseline (flat as data grows)`,
    met: quick ? null : nativeRssGrowthRatio <= rssGrowthGoalRatio,
  },
];

const round = (value) => (value >= 100 ? Math.round(value) : Number(value.toFixed(1)));
console.log(
  `@sdk/flow-shim benchmark (${quick ? 'quick' : 'full'}: ${records.toLocaleString('en-US')} records, ${runs} run(s))`,
);
console.table(
  figures.map((figure) => ({
    figure: figure.name,
    unit: figure.unit,
    median: round(figure.median),
    min: round(figure.min),
    max: round(figure.max),
    'baseline median': round(figure.baseline.median),
    ratio: figure.ratio,
    goal: figure.goal,
    met: figure.met,
  })),
);

const results = {
  package: '@sdk/flow-shim',
  command: `pnpm --filter @sdk/flow-shim bench${quick ? ' --quick' : ''}`,
  quick,
  runs,
  machine: {
    cpus: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
  },
  figures,
};
mkdirSync(path.join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(path.join(here, '..', 'bench-results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
