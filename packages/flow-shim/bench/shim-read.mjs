// Measured path: the same source behind the in-process Airbyte shim, Flow capture responses on
// stdout (the `open` request arrives on stdin). Writes its peak RSS (KiB) to fd 3 at the end.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BenchSource } from './bench-source.mjs';

const require = createRequire(import.meta.url);
const { AirbyteCaptureShim, StreamCdkAirbyteDriver, runCaptureConnector } = require('../dist/index.js');

const shim = new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new BenchSource(), { name: 'bench-source' }));
const code = await runCaptureConnector(shim, { argv: [] });
writeSync(3, `${process.resourceUsage().maxRSS}\n`);
process.exit(code);
