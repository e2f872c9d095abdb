// Child process for the "peak RSS as data grows" figures: streams `count` records into the bench's
// local HTTP queue stand-in and prints one JSON line { path, count, maxRssMB, sentRecordCount, ms }.
//   node rss-growth-child.mjs writer <count> <url>  -- createPanoplySdk, every write awaited
//   node rss-growth-child.mjs runner <count> <url>  -- runDataSource over a source whose read(n)
//                                                      produces the records, into the same writer
// Records are built on demand and dropped once sent, so a streaming path should peak at the same RSS
// whatever `count` is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { sampleRecord } from './sample-record.mjs';

const require = createRequire(import.meta.url);
const { DataSource, createPanoplySdk, runDataSource } = require('../dist/index.js');

const [path, countText, url] = process.argv.slice(2);
const count = Number(countText);
if (!['writer', 'runner'].includes(path) || !Number.isInteger(count) || count < 1 || !url) {
  throw new Error('usage: rss-growth-child.mjs writer|runner <count> <url>');
}

class GeneratedSource extends DataSource {
  next = 0;

  read(batchSize) {
    const total = this.source.total;
    if (this.next >= total) return null;
    const start = this.next;
    const end = Math.min(total, start + batchSize);
    const stateId = `from-${start}`;
    this.state(stateId, { next: end });
    this.progress(end, total, 'generating');
    this.next = end;
    const records = [];
    for (let index = start; index < end; index++) records.push({ ...sampleRecord(index), __state: stateId });
    return records;
  }
}

const started = performance.now();
const writer = createPanoplySdk('acct/rand1', 'c2VjcmV0', { endpointUrl: url });
if (path === 'writer') {
  for (let index = 0; index < count; index++) await writer.write('bench', sampleRecord(index));
} else {
  const summary = await runDataSource({
    module: {
      Stream: GeneratedSource,
      CONFIG: {
        title: 'Generated records',
        icon: 'data:image/svg+xml;base64,PHN2Zy8+',
        params: [{ name: 'total', title: 'Records', type: 'number', required: true }],
      },
    },
    params: { total: count },
    writer,
    defaultTable: 'bench',
    progress: 'none',
    // The runner's start/done log lines are not part of the measurement.
    output: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  if (summary.recordCount !== count) throw new Error(`runner sent ${summary.recordCount} of ${count}`);
}
const result = await writer.close();
const ms = performance.now() - started;
if (result.failedBatches.length > 0) throw new Error(`${result.failedBatches.length} batches failed`);

// VmHWM is this process image's peak RSS. process.resourceUsage().maxRSS is not used: on Linux it keeps
// the parent's RSS from the fork before exec, so it would measure the bench process too.
const status = readFileSync('/proc/self/status', 'utf8');
const maxRssMB = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
process.stdout.write(
  `${JSON.stringify({ path, count, maxRssMB, sentRecordCount: result.sentRecordCount, ms })}\n`,
);
