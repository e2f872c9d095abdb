// Child process for the peak-RSS figure: streams `targetBytes` of Arrow IPC through encode -> chunks ->
// assembler -> decode, one stream per batch as a transport would send them, holding nothing between
// batches. Prints JSON { maxRssMB, streamedBytes, batches, ms } at the end. With --setup-only it just
// builds the same template batch and reports its RSS (the baseline).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mixedRows } from './mixed-rows.mjs';

const require = createRequire(import.meta.url);
const { rowsToRecordBatch, encodeChunks, ChunkAssembler } = require('../dist/index.js');

const targetBytes = Number(process.argv[2]);
const setupOnly = process.argv.includes('--setup-only');
const template = rowsToRecordBatch(mixedRows(10_000, 7));

let streamedBytes = 0;
let batches = 0;
const started = performance.now();
if (!setupOnly) {
  const assembler = new ChunkAssembler({ channel: 'rss-bench' });
  while (streamedBytes < targetBytes) {
    for (const chunk of encodeChunks(template)) {
      // Copy each chunk as a network receiver would hand it over in its own buffer.
      const table = assembler.push({ data: chunk.data.slice(), endOfChunk: chunk.endOfChunk });
      streamedBytes += chunk.data.byteLength;
      if (table !== undefined && table.numRows !== template.numRows) throw new Error('row count mismatch');
    }
    batches += 1;
  }
  assembler.close();
}
const ms = performance.now() - started;
// VmHWM is the peak RSS of this process image. process.resourceUsage().maxRSS is not used: on Linux it
// keeps the parent's RSS from the fork before exec, which here is the benchmark's 1,000,000 rows.
let maxRssMB;
try {
  const status = readFileSync('/proc/self/status', 'utf8');
  maxRssMB = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
} catch {
  maxRssMB = process.resourceUsage().maxRSS / 1024;
}
process.stdout.write(`${JSON.stringify({ maxRssMB, streamedBytes, batches, ms })}\n`);
