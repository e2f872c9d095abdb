// One ceiling run: the same bytes as the pass-through run, as ~1 MB messages on a bare grpc-js bidi
// echo (no protobuf, no Arrow decode, no plugin API).
//   node grpc-echo-client.mjs <bytes>  -> {"seconds","bytes","cpuSeconds"}
import { createRequire } from 'node:module';
import { ipcPayloadOf, pieceBytes, startEchoServer } from './echo-peer.mjs';
import { echoMethod, unlimitedSizes } from './grpc-echo-method.mjs';

const require = createRequire(import.meta.url);
const { Client, credentials } = require('@grpc/grpc-js');

const amount = Number(process.argv[2]);
const server = await startEchoServer('grpc-echo-server.mjs');
const client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure(), unlimitedSizes);
try {
  const payload = ipcPayloadOf(1_048_576);
  const count = Math.max(1, Math.round(amount / (1_048_576 * 16)));
  const total = payload.byteLength * count;
  const { path, requestSerialize, responseDeserialize } = echoMethod.Echo;
  const call = client.makeBidiStreamRequest(path, requestSerialize, responseDeserialize);
  const started = performance.now();
  const received = new Promise((resolve, reject) => {
    let got = 0;
    call.on('data', (message) => {
      got += message.byteLength;
      if (got >= total) resolve();
    });
    call.on('error', reject);
  });
  for (let index = 0; index < count; index += 1) {
    for (let offset = 0; offset < payload.byteLength; offset += pieceBytes) {
      // A fresh message per piece, as the transport sends one.
      if (!call.write(payload.subarray(offset, offset + pieceBytes))) {
        await new Promise((resolve) => call.once('drain', resolve));
      }
    }
  }
  await received;
  const seconds = (performance.now() - started) / 1000;
  call.end();
  const cpuSeconds = await server.stopAndMeasureCpuSeconds();
  process.stdout.write(`${JSON.stringify({ seconds, bytes: 1_048_576 * 16 * count, cpuSeconds })}\n`);
} finally {
  client.close();
  server.kill();
}
