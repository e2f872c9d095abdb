#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSampleApi } from '../sample-api-server';

const usage = `Usage: sample-api [--port N] [--customers N] [--orders N] [--rate-limit-every N] [--fail-every N] [--latency-ms N]

Serves the sample connectors' API on 127.0.0.1 until interrupted.`;

async function main() {
  // `pnpm start -- --port 1234` passes the `--` through; it separates nothing here.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '0' },
      customers: { type: 'string' },
      orders: { type: 'string' },
      'rate-limit-every': { type: 'string' },
      'fail-every': { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const numberOption = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`--${name} must be a whole number, got '${raw}'`);
    return value;
  };
  const api = await startSampleApi({
    port: numberOption('port', values.port),
    customers: numberOption('customers', values.customers),
    orders: numberOption('orders', values.orders),
    rateLimitEvery: numberOption('rate-limit-every', values['rate-limit-every']),
    failEvery: numberOption('fail-every', values['fail-every']),
    latencyMs: numberOption('latency-ms', values['latency-ms']),
  });
  process.stdout.write(`${JSON.stringify({ url: api.url, credentials: api.credentials })}\n`);
  const stop = () => {
    api.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sample-api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
