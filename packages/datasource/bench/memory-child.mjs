// Peak-memory probe: writes `count` records through a PanoplyWriter whose sink is 10x slower than
// the producer. mode "awaited" awaits every write (backpressure), "unawaited" ignores the promises
// (what a caller without backpressure would get). Prints one JSON line with peak RSS (VmHWM) in MB.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sampleRecord } from './sample-record.mjs';

const require = createRequire(import.meta.url);
const { PanoplyWriter, createPanoplyHttpSink } = require('../dist/index.js');

const [mode = 'awaited', countText = '20000'] = process.argv.slice(2);
const count = Number(countText);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const httpSink = createPanoplyHttpSink({
  apiKey: 'acct/r',
  apiSecret: 'x',
  endpointUrl: 'http://127.0.0.1:9/',
});

// Calibrate: how long the producer needs per record into an instant sink.
const calibrationCount = Math.min(count, 5_000);
const instant = new PanoplyWriter({
  sink: { encodeRecord: httpSink.encodeRecord, sendBatch: async () => {} },
});
const calibrationStart = performance.now();
for (let index = 0; index < calibrationCount; index++) await instant.write('bench', sampleRecord(index));
await instant.close();
const producerMsPerRecord = (performance.now() - calibrationStart) / calibrationCount;

const slowSink = {
  encodeRecord: httpSink.encodeRecord,
  sendBatch: (batch) => sleep(batch.records.length * producerMsPerRecord * 10),
};
const writer = new PanoplyWriter({ sink: slowSink });
const start = performance.now();
let peakBufferedChars = 0;
for (let index = 0; index < count; index++) {
  const written = writer.write('bench', sampleRecord(index));
  if (mode === 'awaited') await written;
  peakBufferedChars = Math.max(peakBufferedChars, writer.bufferedChars);
}
await writer.close();
const elapsedMs = performance.now() - start;
// VmHWM is this process image's peak RSS. process.resourceUsage().maxRSS is not used: on Linux it keeps
// the parent's RSS from the fork before exec, so it would count the bench process too.
const status = readFileSync('/proc/self/status', 'utf8');
const maxRssMB = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
process.stdout.write(
  `${JSON.stringify({
    mode,
    count,
    maxRssMB,
    peakBufferedChars,
    producerMsPerRecord,
    elapsedMs,
  })}\n`,
);
