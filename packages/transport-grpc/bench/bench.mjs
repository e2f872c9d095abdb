// Benchmark of @sdk/transport-grpc (see README "Benchmarks"). Every figure is measured against its
// baseline in the same run, alternating runs so machine load hits both alike.
//   node bench/bench.mjs           full: 1 GiB per run, 5 runs, 500 latency samples
//   node bench/bench.mjs --quick   smoke: 64 MiB, 1 run, 50 samples
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 5;
const bytes = quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024;
const samples = quick ? 50 : 500;

function runWorker(script, mode, amount) {
  const output = execFileSync(process.execPath, [join(here, script), mode, String(amount)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').at(-1));
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
};
const percentile = (values, fraction) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
};
const round = (value, digits = 2) => Number(value.toFixed(digits));

const grpcThroughput = [];
const tcpThroughput = [];
const grpcCpu = [];
const tcpCpu = [];
const engineRss = [];
const pluginRss = [];
const grpcP50 = [];
const grpcP99 = [];
const tcpP50 = [];
const tcpP99 = [];
for (let run = 0; run < runs; run += 1) {
  const tcp = runWorker('tcp-echo-client.mjs', 'throughput', bytes);
  tcpThroughput.push(tcp.bytes / 1e6 / tcp.seconds);
  tcpCpu.push(tcp.cpuSeconds / (tcp.bytes / 1024 ** 3));
  const grpc = runWorker('grpc-engine.mjs', 'throughput', bytes);
  grpcThroughput.push(grpc.bytes / 1e6 / grpc.seconds);
  grpcCpu.push(grpc.cpuSeconds / (grpc.bytes / 1024 ** 3));
  engineRss.push(grpc.engineMaxRssKiB / 1024);
  pluginRss.push(grpc.pluginMaxRssKiB / 1024);
  const tcpLatency = runWorker('tcp-echo-client.mjs', 'latency', samples).latenciesMs;
  tcpP50.push(percentile(tcpLatency, 0.5));
  tcpP99.push(percentile(tcpLatency, 0.99));
  const grpcLatency = runWorker('grpc-engine.mjs', 'latency', samples).latenciesMs;
  grpcP50.push(percentile(grpcLatency, 0.5));
  grpcP99.push(percentile(grpcLatency, 0.99));
  process.stderr.write(`run ${run + 1}/${runs} done\n`);
}

function figure(name, unit, values, baselineName, baselineValues, goal, meets) {
  const own = stats(values);
  const baseline = baselineValues ? stats(baselineValues) : null;
  const ratio = baseline ? own.median / baseline.median : null;
  return {
    name,
    unit,
    median: round(own.median),
    min: round(own.min),
    max: round(own.max),
    baseline: baseline
      ? {
          name: baselineName,
          median: round(baseline.median),
          min: round(baseline.min),
          max: round(baseline.max),
        }
      : null,
    ratio: ratio === null ? null : round(ratio, 3),
    goal,
    met: meets === null ? null : meets(own.median, ratio),
  };
}

const figures = [
  figure(
    `throughput engine->plugin->engine, ${bytes / 1024 / 1024} MiB pass-through`,
    'MB/s',
    grpcThroughput,
    'raw TCP socket echo of the same bytes',
    tcpThroughput,
    '>= 0.6x baseline throughput',
    (_median, ratio) => ratio >= 0.6,
  ),
  // CPU time of both processes per GiB: less sensitive than wall time to other load on a shared machine.
  figure(
    'CPU seconds per GiB, engine + plugin processes',
    's/GiB',
    grpcCpu,
    'raw TCP echo, client + server processes',
    tcpCpu,
    'informational',
    null,
  ),
  figure(
    'one-row round trip p50',
    'ms',
    grpcP50,
    'raw TCP echo round trip p50',
    tcpP50,
    'informational',
    null,
  ),
  figure(
    'one-row round trip p99',
    'ms',
    grpcP99,
    'raw TCP echo round trip p99',
    tcpP99,
    'informational',
    null,
  ),
  figure(
    'peak RSS, engine process',
    'MB',
    engineRss,
    null,
    null,
    '<= 512 MB whatever the volume',
    (median) => median <= 512,
  ),
  figure(
    'peak RSS, plugin process',
    'MB',
    pluginRss,
    null,
    null,
    '<= 512 MB whatever the volume',
    (median) => median <= 512,
  ),
];

const result = {
  package: '@sdk/transport-grpc',
  command: `pnpm --filter @sdk/transport-grpc bench${quick ? ' -- --quick' : ''}`,
  quick,
  runs,
  machine: { cpus: cpus().length, memoryGiB: round(totalmem() / 1024 ** 3, 1), node: process.version },
  figures,
};
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

const rows = figures.map((entry) => [
  entry.name,
  `${entry.median} ${entry.unit} (${entry.min}..${entry.max})`,
  entry.baseline
    ? `${entry.baseline.median} ${entry.unit} (${entry.baseline.min}..${entry.baseline.max})`
    : '-',
  entry.ratio === null ? '-' : `${entry.ratio}x`,
  `${entry.goal}${entry.met === null ? '' : entry.met ? ' (met)' : ' (NOT met)'}`,
]);
const header = ['figure', 'median (min..max)', 'baseline median (min..max)', 'ratio', 'goal'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column].length)),
);
const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');
console.log(
  `@sdk/transport-grpc bench (${quick ? 'quick' : 'full'}, ${runs} run(s), ${cpus().length} CPUs, ${process.version})`,
);
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
for (const row of rows) console.log(line(row));
