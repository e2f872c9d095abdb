// One baseline run: the same bytes through a plain TCP echo, the practical limit of loopback here.
//   node tcp-echo-client.mjs throughput <bytes>  -> {"seconds","bytes","cpuSeconds"}
//   node tcp-echo-client.mjs latency <samples>   -> {"latenciesMs":[...]}
import { connect } from 'node:net';
import { ipcPayloadOf, pieceBytes, startEchoServer } from './echo-peer.mjs';

const [mode, amountText] = process.argv.slice(2);
const amount = Number(amountText);

const server = await startEchoServer('tcp-echo-server.mjs');
const socket = connect(server.port, '127.0.0.1');
await new Promise((resolve) => socket.once('connect', resolve));
socket.setNoDelay(true);

try {
  if (mode === 'throughput') {
    const payload = ipcPayloadOf(1_048_576); // the same 16 MiB IPC stream the gRPC run sends per table
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
      for (let offset = 0; offset < payload.byteLength; offset += pieceBytes) {
        if (!socket.write(payload.subarray(offset, offset + pieceBytes))) {
          await new Promise((resolve) => socket.once('drain', resolve));
        }
      }
    }
    await received;
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = await server.stopAndMeasureCpuSeconds();
    process.stdout.write(`${JSON.stringify({ seconds, bytes: 1_048_576 * 16 * count, cpuSeconds })}\n`);
  } else {
    const payload = ipcPayloadOf(1);
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
  server.kill();
}
