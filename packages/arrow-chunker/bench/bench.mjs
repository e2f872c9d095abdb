// Benchmark of @sdk/arrow-chunker against its baselines, measured in the same run.
// Usage: node bench/bench.mjs [--quick]    (pnpm --filter @sdk/arrow-chunker bench)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixedRows } from './mixed-rows.mjs';

const require = createRequire(import.meta.url);
const chunker = require('../dist/index.js');
const arrow = require('apache-arrow');
const { encodeChunks, ChunkAssembler, rowsToRecordBatch, inferArrowSchema } = chunker;
const { Table, tableToIPC, tableFromIPC, vectorFromArray, makeData, RecordBatch, Struct } = arrow;

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 5;
const rowCount = quick ? 20_000 : 1_000_000;
const perRowSample = quick ? 500 : 10_000;
const streamTargetBytes = quick ? 64 * 1024 * 1024 : 2 * 1024 * 1024 * 1024;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function time(action) {
  const started = performance.now();
  const result = action();
  return { ms: performance.now() - started, result };
}

/** Runs `ours` and `baseline` alternately `runs` times after one warm-up each. */
function measurePair(ours, baseline) {
  ours();
  baseline();
  const oursMs = [];
  const baselineMs = [];
  for (let run = 0; run < runs; run += 1) {
    globalThis.gc?.();
    oursMs.push(time(ours).ms);
    globalThis.gc?.();
    baselineMs.push(time(baseline).ms);
  }
  return { ours: stats(oursMs), baseline: stats(baselineMs) };
}

const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

const figures = [];
function addFigure({ name, unit, ours, baselineName, baseline, ratio, goal, met }) {
  figures.push({
    name,
    unit,
    median: round(ours.median),
    min: round(ours.min),
    max: round(ours.max),
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
    met,
  });
}

// ---------------------------------------------------------------------------------------------
console.error(
  `@sdk/arrow-chunker bench (${quick ? 'quick' : 'full'}): ${rowCount} rows x 8 columns, ${runs} run(s)`,
);
const rows = mixedRows(rowCount);
const schema = inferArrowSchema(rows);
const table = new Table([rowsToRecordBatch(rows, { schema })]);
const ipcBytes = tableToIPC(table).byteLength;
console.error(`table: ${table.numRows} rows, ${(ipcBytes / 1e6).toFixed(1)} MB as one IPC stream`);

/** encode -> 1 MiB chunks -> assemble -> decoded Table; `detach` copies each chunk (network-like, untimed). */
function chunkedRoundTrip(source) {
  const assembler = new ChunkAssembler();
  let decoded;
  for (const chunk of encodeChunks(source)) decoded = assembler.push(chunk) ?? decoded;
  return decoded;
}

function plainRoundTrip(source) {
  return tableFromIPC(tableToIPC(source));
}

// 1. Round trip vs plain tableToIPC + tableFromIPC.
{
  const pair = measurePair(
    () => chunkedRoundTrip(table),
    () => plainRoundTrip(table),
  );
  const ratio = pair.ours.median / pair.baseline.median;
  addFigure({
    name: 'encode + 1 MiB chunks + reassemble + decode (time)',
    unit: 'ms',
    ours: pair.ours,
    baselineName: 'tableToIPC + tableFromIPC',
    baseline: pair.baseline,
    ratio,
    goal: '<= 1.10x baseline time',
    met: ratio <= 1.1,
  });
}

// 1b. Same, with every chunk in its own buffer as a network receiver sees it (the copy into separate
// buffers is done before timing; the assembler must then join them, which is timed).
{
  const detachedRoundTrip = () => {
    const encoded = time(() => [...encodeChunks(table)]);
    const detached = encoded.result.map((chunk) => ({
      data: chunk.data.slice(),
      endOfChunk: chunk.endOfChunk,
    }));
    const assembled = time(() => {
      const assembler = new ChunkAssembler();
      let decoded;
      for (const chunk of detached) decoded = assembler.push(chunk) ?? decoded;
      return decoded;
    });
    return encoded.ms + assembled.ms;
  };
  detachedRoundTrip();
  plainRoundTrip(table);
  const oursMs = [];
  const baselineMs = [];
  for (let run = 0; run < runs; run += 1) {
    globalThis.gc?.();
    oursMs.push(detachedRoundTrip());
    globalThis.gc?.();
    baselineMs.push(time(() => plainRoundTrip(table)).ms);
  }
  const ours = stats(oursMs);
  const baseline = stats(baselineMs);
  const ratio = ours.median / baseline.median;
  addFigure({
    name: 'same, chunks received in separate buffers (one copy on reassembly)',
    unit: 'ms',
    ours,
    baselineName: 'tableToIPC + tableFromIPC',
    baseline,
    ratio,
    goal: 'informational: what the one reassembly copy of a network receiver costs',
    met: null,
  });
}

// 2. vs JSON lines of the same rows.
{
  const jsonLines = () => {
    const lines = rows.map((row) => JSON.stringify(row));
    return lines.map((line) => JSON.parse(line));
  };
  const pair = measurePair(() => chunkedRoundTrip(table), jsonLines);
  const speedup = pair.baseline.median / pair.ours.median;
  addFigure({
    name: 'encode + chunk + reassemble + decode vs JSON lines (time)',
    unit: 'ms',
    ours: pair.ours,
    baselineName: 'JSON.stringify per row + JSON.parse per line',
    baseline: pair.baseline,
    ratio: speedup,
    goal: '>= 10x faster than baseline (ratio = baseline / ours)',
    met: speedup >= 10,
  });
}

// 3. vs one IPC stream per row (CloudQuery JS SDK pattern), from rows to decoded tables on both sides,
// compared as throughput because per-row framing of 1,000,000 rows would take minutes.
{
  const fields = schema.fields;
  const sample = rows.slice(0, perRowSample);
  const perRow = () => {
    for (const row of sample) {
      const children = fields.map((field) => vectorFromArray([row[field.name]], field.type).data[0]);
      const data = makeData({ type: new Struct(fields), length: 1, nullCount: 0, children });
      const bytes = tableToIPC(new Table([new RecordBatch(schema, data)]));
      tableFromIPC(bytes);
    }
  };
  const batched = () => chunkedRoundTrip(rowsToRecordBatch(rows, { schema }));
  batched();
  perRow();
  const oursRate = [];
  const baselineRate = [];
  for (let run = 0; run < runs; run += 1) {
    globalThis.gc?.();
    oursRate.push(rows.length / (time(batched).ms / 1000));
    globalThis.gc?.();
    baselineRate.push(sample.length / (time(perRow).ms / 1000));
  }
  const ours = stats(oursRate);
  const baseline = stats(baselineRate);
  const speedup = ours.median / baseline.median;
  addFigure({
    name: `rows -> Arrow -> chunks -> decoded Table, batched vs one IPC stream per row (${perRowSample} sampled rows)`,
    unit: 'rows/s',
    ours,
    baselineName: 'one IPC stream per row (vectorFromArray + tableToIPC + tableFromIPC per row)',
    baseline,
    ratio: speedup,
    goal: '>= 50x baseline throughput',
    met: speedup >= 50,
  });
}

// 4. Rows to Arrow with inference, yardstick JSON.stringify of the same rows.
{
  const oursRate = [];
  const baselineRate = [];
  rowsToRecordBatch(rows);
  JSON.stringify(rows);
  for (let run = 0; run < runs; run += 1) {
    globalThis.gc?.();
    oursRate.push(rows.length / (time(() => rowsToRecordBatch(rows)).ms / 1000));
    globalThis.gc?.();
    baselineRate.push(rows.length / (time(() => rows.map((row) => JSON.stringify(row))).ms / 1000));
  }
  const ours = stats(oursRate);
  const baseline = stats(baselineRate);
  addFigure({
    name: 'rows -> RecordBatch with schema inference (throughput)',
    unit: 'rows/s',
    ours,
    baselineName: 'JSON.stringify per row (yardstick)',
    baseline,
    ratio: ours.median / baseline.median,
    goal: 'informational: ratio to JSON.stringify throughput',
    met: null,
  });
}

// 5. Peak RSS while streaming `streamTargetBytes` through encode and decode, in a child process, and
// 5b. the same child streaming a fifth of the data, as the baseline of "memory stays flat as data grows".
{
  const child = path.join(here, 'stream-rss-child.mjs');
  const runChild = (targetBytes, extra = []) =>
    JSON.parse(
      execFileSync(process.execPath, [child, String(targetBytes), ...extra], {
        encoding: 'utf8',
      }).trim(),
    );
  const oneFifthBytes = Math.floor(streamTargetBytes / 5);
  const streamed = [];
  const setupOnly = [];
  const streamedOneFifth = [];
  let last;
  for (let run = 0; run < runs; run += 1) {
    last = runChild(streamTargetBytes);
    streamed.push(last.maxRssMB);
    setupOnly.push(runChild(streamTargetBytes, ['--setup-only']).maxRssMB);
    streamedOneFifth.push(runChild(oneFifthBytes).maxRssMB);
  }
  const ours = stats(streamed);
  const base = stats(setupOnly);
  const small = stats(streamedOneFifth);
  const gib = (bytes) => (bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 0);
  console.error(
    `streamed ${(last.streamedBytes / 2 ** 30).toFixed(2)} GiB in ${last.batches} streams, ${(last.streamedBytes / 1e6 / (last.ms / 1000)).toFixed(0)} MB/s`,
  );
  addFigure({
    name: `peak RSS streaming ${gib(streamTargetBytes)} GiB of batches through encode + decode (child process)`,
    unit: 'MB',
    ours,
    baselineName: 'same child process, setup only (no streaming)',
    baseline: base,
    ratio: ours.median / base.median,
    goal: '< 300 MB peak RSS',
    met: ours.max < 300,
  });
  const growth = ours.median / small.median;
  addFigure({
    name: `peak RSS as data grows: streaming 5x the data (${gib(streamTargetBytes)} GiB) vs 1x (${gib(oneFifthBytes)} GiB), child process`,
    unit: 'MB',
    ours,
    baselineName: `same child process streaming 1x (${gib(oneFifthBytes)} GiB)`,
    baseline: small,
    ratio: growth,
    goal: '<= 1.25x baseline (flat as the data grows)',
    met: growth <= 1.25,
  });
}

// ---------------------------------------------------------------------------------------------
const result = {
  package: '@sdk/arrow-chunker',
  command: `pnpm --filter @sdk/arrow-chunker bench${quick ? ' --quick' : ''}`,
  quick,
  runs,
  machine: { cpus: os.cpus().length, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version },
  figures,
};
mkdirSync(path.join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(path.join(here, '..', 'bench-results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

const table2 = figures.map((figure) => ({
  figure: figure.name,
  unit: figure.unit,
  median: figure.median,
  'min..max': `${figure.min}..${figure.max}`,
  baseline: figure.baseline ? `${figure.baseline.median} (${figure.baseline.name})` : '-',
  ratio: figure.ratio,
  goal: figure.goal,
  met: figure.met === null ? '-' : figure.met ? 'yes' : 'NO',
}));
console.table(table2);
console.log(`wrote bench-results/latest.json (${quick ? 'quick' : 'full'} mode, ${runs} run(s))`);
