// One baseline run: the same bytes through a plain TCP echo, the practical limit of loopback here.
//   node tcp-echo-client.mjs throughput <bytes>  -> {"seconds","bytes","cpuSeconds"}
//   node tcp-echo-client.mjs latency <samples>   -> {"latenciesMs":[...]}
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { tableFromArrays, tableToIPC } = require('apache-arrow');
const here = dirname(fileURLToPath(import.meta.url));
const [mode, amountText] = process.argv.slice(2);
const amount = Number(amountText);

const server = spawn(process.execPath, [join(here, 'tcp-echo-server.mjs')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let reportServerCpu;
const serverCpuMicros = new Promise((resolve) => {
  reportServerCpu = resolve;
});
const port = await new Promise((resolve) => {
  createInterface({ input: server.stdout }).on('line', (line) => {
    const match = /^ListenPort: (\d+)$/.exec(line);
    if (match) resolve(Number(match[1]));
    if (line.startsWith('cpuMicros=')) reportServerCpu(Number(line.slice('cpuMicros='.length)));
  });
});
const socket = connect(port, '127.0.0.1');
await new Promise((resolve) => socket.once('connect', resolve));
socket.setNoDelay(true);

function ipcOf(rows) {
  return Buffer.from(
    tableToIPC(tableFromArrays({ a: new Float64Array(rows), b: new Float64Array(rows) }), 'stream'),
  );
}

try {
  if (mode === 'throughput') {
    const payload = ipcOf(1_048_576); // the same 16 MiB IPC stream the gRPC run sends per table
    const count = Math.max(1, Math.round(amount / (1_048_576 * 16)));
    const total = payload.byteLength * count;
    const started = performance.now();
    const received = new Promise((resolve) => {
      let got = 0;
      socket.on('data', (chunk) => {
        got += chunk.byteLength;
        if (got >= total) resolve();
      });
    });
    for (let index = 0; index < count; index += 1) {
      // 1 MiB writes, as the gRPC side writes ~1 MB pieces.
      for (let offset = 0; offset < payload.byteLength; offset += 1_048_576) {
        if (!socket.write(payload.subarray(offset, offset + 1_048_576))) {
          await new Promise((resolve) => socket.once('drain', resolve));
        }
      }
    }
    await received;
    const seconds = (performance.now() - started) / 1000;
    server.kill('SIGTERM');
    const usage = process.resourceUsage();
    const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime + (await serverCpuMicros)) / 1e6;
    process.stdout.write(`${JSON.stringify({ seconds, bytes: 1_048_576 * 16 * count, cpuSeconds })}\n`);
  } else {
    const payload = ipcOf(1);
    const latenciesMs = [];
    let pending;
    let got = 0;
    socket.on('data', (chunk) => {
      got += chunk.byteLength;
      if (got >= payload.byteLength) {
        got -= payload.byteLength;
        pending?.();
      }
    });
    for (let index = 0; index < amount + 10; index += 1) {
      const started = performance.now();
      await new Promise((resolve) => {
        pending = resolve;
        socket.write(payload);
      });
      if (index >= 10) latenciesMs.push(performance.now() - started);
    }
    process.stdout.write(`${JSON.stringify({ latenciesMs })}\n`);
  }
} finally {
  socket.destroy();
  server.kill('SIGTERM');
}
