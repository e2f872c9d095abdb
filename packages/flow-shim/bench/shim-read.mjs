// Measured path: the same source behind the in-process Airbyte shim, Flow capture responses on
// stdout (the `open` request arrives on stdin). Writes its peak RSS (VmHWM, KiB) to fd 3 at the end.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BenchSource } from './bench-source.mjs';

const require = createRequire(import.meta.url);
const { AirbyteCaptureShim, StreamCdkAirbyteDriver, runCaptureConnector } = require('../dist/index.js');

const shim = new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new BenchSource(), { name: 'bench-source' }));
const code = await runCaptureConnector(shim, { argv: [] });
// VmHWM is this process image's peak RSS. process.resourceUsage().maxRSS is not used: on Linux it keeps
// the parent's RSS from the fork before exec, so it would count the bench process too.
const peakRssKiB = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1];
writeSync(3, `${peakRssKiB}\n`);
// Exit only once stdout has drained: an immediate exit drops output still queued on the pipe.
process.stdout.write('', () => process.exit(code));
