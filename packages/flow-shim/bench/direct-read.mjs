// Baseline: the bench source read through the stream-cdk CLI (`read --config --catalog`),
// Airbyte messages on stdout. Writes its peak RSS (KiB) to fd 3 at the end.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BenchSource } from './bench-source.mjs';

const require = createRequire(import.meta.url);
const { runSourceCli } = require('@sdk/stream-cdk');

const code = await runSourceCli(new BenchSource(), { argv: process.argv.slice(2) });
writeSync(3, `${process.resourceUsage().maxRSS}\n`);
process.exit(code);
