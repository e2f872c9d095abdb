#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSampleApi } from '../sample-api-server';

const usage = `Usage: sample-api [--port N] [--customers N] [--orders N] [--rate-limit-every N] [--fail-every N] [--latency-ms N]
       sample-api --help | --version

Serves the sample connectors' API on 127.0.0.1 until interrupted. A bad option or value exits 2.`;

/** A command line that cannot run: one stderr line and exit code 2, as every @sdk bin does. */
class UsageError extends Error {}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '0' },
      customers: { type: 'string' },
      orders: { type: 'string' },
      'rate-limit-every': { type: 'string' },
      'fail-every': { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}

async function main() {
  // `pnpm start -- --port 1234` passes the `--` through; it separates nothing here.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    // Node's message names the option on its first line; the rest repeats how to quote arguments.
    throw new UsageError(((error as Error).message.split('\n')[0] as string).trim());
  }
  const { values } = parsed;
  if (values.version) {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    process.stdout.write(`${manifest.version}\n`);
    return;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const numberOption = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0)
      throw new UsageError(`--${name} must be a whole number, got '${raw}'`);
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
  if (error instanceof UsageError) {
    process.stderr.write(`sample-api: ${error.message}; see 'sample-api --help'\n`);
    process.exit(2);
  }
  process.stderr.write(`sample-api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
