// Demo: a Panoply-style "orders API" data source, run by the runner into a JSON-lines file sink.
// Run 1 hits a flaky page (retried), then the "process dies" halfway (a non-retryable error);
// run 2 resumes from the saved state file. Prints real counts and timings, and checks the file.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { DataSource, SourceError, createJsonLinesFileSink, runDataSource } = require('../dist/index.js');

const TOTAL_ORDERS = 20_000;
const PAGE_SIZE = 500;

class OrdersSource extends DataSource {
  constructor(source, options) {
    super(source, options);
    // Resume point from the runner's saved state; removed so it is not saved back into the params.
    this.nextOrderId = source.state?.nextOrderId ?? 1;
    delete this.source.state;
    this.flakyPagesLeft = source.failOnce ? 1 : 0;
  }

  async read(batchSize) {
    if (this.nextOrderId > TOTAL_ORDERS) return null;
    await new Promise((resolve) => setTimeout(resolve, 15)); // the "API" latency
    if (this.nextOrderId > 4_000 && this.flakyPagesLeft > 0) {
      this.flakyPagesLeft--;
      throw new SourceError('HTTP 503 from the orders API'); // retryable by default
    }
    if (this.source.crashAfter !== undefined && this.nextOrderId > this.source.crashAfter) {
      throw new SourceError('simulated crash', { retryable: false });
    }
    const first = this.nextOrderId;
    const last = Math.min(TOTAL_ORDERS, first + Math.min(batchSize, PAGE_SIZE) - 1);
    const stateId = `orders-${first}`;
    this.state(stateId, { nextOrderId: last + 1 }); // reported BEFORE the batch is returned
    this.progress(last, TOTAL_ORDERS, 'orders');
    this.nextOrderId = last + 1;
    const orders = [];
    for (let id = first; id <= last; id++) {
      orders.push({
        id,
        customer: `customer-${id % 977}`,
        amount: Math.round(((id * 7919) % 100_000) / 10) / 100,
        currency: id % 3 === 0 ? 'EUR' : 'USD',
        __state: stateId,
      });
    }
    return orders;
  }

  close() {
    this.log('orders source closed');
  }
}

const CONFIG = {
  title: 'Orders API (demo)',
  icon: 'data:image/svg+xml;base64,PHN2Zy8+',
  params: [
    { name: 'apiKey', title: 'API key', type: 'password', required: true },
    { name: 'destination', title: 'Table', default: 'orders' },
    { name: 'failOnce', title: 'Fail one page once', type: 'boolean', default: false },
    { name: 'crashAfter', title: 'Crash after order id', type: 'number' },
  ],
};

const directory = mkdtempSync(join(tmpdir(), 'datasource-demo-'));
const outputPath = join(directory, 'orders.jsonl');
const stateFilePath = join(directory, 'state.json');
const secret = 'demo-secret-key-123';

try {
  const runOnce = async (params) => {
    const sink = createJsonLinesFileSink({ filePath: outputPath });
    try {
      return await runDataSource({
        module: { Stream: OrdersSource, CONFIG },
        params: { apiKey: secret, ...params },
        sink,
        stateFilePath,
        batchSize: PAGE_SIZE,
        retryBaseDelayMs: 50,
        output: process.stdout,
        progressLineIntervalMs: 150,
      });
    } finally {
      await sink.close();
    }
  };

  console.log('Run 1: reads until a simulated crash at order 12,000 (one flaky page retried on the way)');
  const started = performance.now();
  let crashed = false;
  try {
    await runOnce({ failOnce: true, crashAfter: 12_000 });
  } catch (error) {
    crashed = true;
    console.log(`  run 1 stopped as planned: ${error.code}`);
  }
  const savedState = JSON.parse(readFileSync(stateFilePath, 'utf8')).state;
  console.log(`  saved state: ${JSON.stringify(savedState)}`);

  console.log('Run 2: resumes from the state file');
  const resumed = await runOnce({});
  const elapsedMs = performance.now() - started;

  const lines = readFileSync(outputPath, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const ids = new Set(lines.map((line) => JSON.parse(line).id));
  const fileBytes = statSync(outputPath).size;
  const checks = {
    crashed,
    resumed: resumed.resumed,
    everyOrderOnce: ids.size === TOTAL_ORDERS && lines.length === TOTAL_ORDERS,
    secretNeverInOutput: !readFileSync(outputPath, 'utf8').includes(secret),
    finalState: resumed.state.nextOrderId === TOTAL_ORDERS + 1,
  };
  console.log('');
  console.log('Summary');
  console.log(
    `  orders in file        ${lines.length.toLocaleString('en-US')} (${ids.size.toLocaleString('en-US')} distinct)`,
  );
  console.log(
    `  run 2 wrote           ${resumed.recordCount.toLocaleString('en-US')} records in ${resumed.batchCount} batches, ${resumed.readRetries} read retries`,
  );
  console.log(`  file size             ${(fileBytes / 1024).toFixed(0)} KiB`);
  console.log(
    `  wall time (both runs) ${elapsedMs.toFixed(0)} ms, ${Math.round((TOTAL_ORDERS / elapsedMs) * 1000).toLocaleString('en-US')} records/s`,
  );
  console.log(`  checks                ${JSON.stringify(checks)}`);
  if (!Object.values(checks).every(Boolean)) {
    console.error('demo check failed');
    process.exitCode = 1;
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
