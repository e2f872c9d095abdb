// Shared by the baseline echo clients: starts an echo server process, reads its `ListenPort: <port>`
// line, and on stop collects the CPU time it reports, so every baseline counts both processes' CPU.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { tableFromArrays, tableToIPC } = require('apache-arrow');
const here = dirname(fileURLToPath(import.meta.url));

/** Piece size of every writer in this benchmark: the transport cuts streams into ~1 MB pieces. */
export const pieceBytes = 1_048_576;

/** The IPC stream of a two-float64-column table, as the gRPC run sends it (16 MiB at 1,048,576 rows). */
export function ipcPayloadOf(rows) {
  return Buffer.from(
    tableToIPC(tableFromArrays({ a: new Float64Array(rows), b: new Float64Array(rows) }), 'stream'),
  );
}

export async function startEchoServer(script) {
  const server = spawn(process.execPath, [join(here, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let reportCpu;
  const cpuMicros = new Promise((resolve) => {
    reportCpu = resolve;
  });
  const port = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^ListenPort: (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      if (line.startsWith('cpuMicros=')) reportCpu(Number(line.slice('cpuMicros='.length)));
    });
  });
  return {
    port,
    /** Stops the server and resolves with this process's and the server's CPU seconds together. */
    async stopAndMeasureCpuSeconds() {
      server.kill('SIGTERM');
      const usage = process.resourceUsage();
      return (usage.userCPUTime + usage.systemCPUTime + (await cpuMicros)) / 1e6;
    },
    kill() {
      server.kill('SIGKILL');
    },
  };
}

/** Echo servers call this: on SIGTERM they print their CPU time (microseconds) and exit. */
export function reportCpuOnSigterm() {
  process.on('SIGTERM', () => {
    const usage = process.resourceUsage();
    process.stdout.write(`cpuMicros=${usage.userCPUTime + usage.systemCPUTime}\n`, () => process.exit(0));
  });
}
