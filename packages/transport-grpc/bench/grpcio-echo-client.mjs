// One reference run: the same bytes as the pass-through run, as ~1 MB messages on a Python grpcio bidi
// echo (gRPC's C core, client and server in their own processes; see grpcio-echo.py).
//   node grpcio-echo-client.mjs <bytes>  -> {"seconds","bytes","cpuSeconds","grpcio"} or {"skipped"}
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcPayloadOf, pieceBytes } from './echo-peer.mjs';
import { ensurePythonGrpcio } from './python-grpcio.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const amount = Number(process.argv[2]);
const available = ensurePythonGrpcio();
if (available.skipped !== undefined) {
  process.stdout.write(`${JSON.stringify({ skipped: available.skipped })}\n`);
} else {
  const payloadBytes = ipcPayloadOf(1_048_576).byteLength; // the IPC stream the gRPC run sends per table
  const count = Math.max(1, Math.round(amount / (1_048_576 * 16)));
  const output = execFileSync(
    available.python,
    [join(here, 'grpcio-echo.py'), 'client', payloadBytes, count, pieceBytes].map(String),
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const run = JSON.parse(output.trim().split('\n').at(-1));
  // Counted as every other row counts it: 16 MiB of column data per table.
  process.stdout.write(
    `${JSON.stringify({ seconds: run.seconds, bytes: 1_048_576 * 16 * count, cpuSeconds: run.cpuSeconds, grpcio: available.version })}\n`,
  );
}
