// One ceiling run: the same bytes as the pass-through run, written in ~1 MB pieces on one bare HTTP/2
// stream and echoed back (no gRPC framing, no protobuf, no Arrow).
//   node http2-echo-client.mjs <bytes>  -> {"seconds","bytes","cpuSeconds"}
import { connect } from 'node:http2';
import { ipcPayloadOf, pieceBytes, startEchoServer } from './echo-peer.mjs';
import { connectionWindowBytes, settings } from './http2-echo-settings.mjs';

const amount = Number(process.argv[2]);
const server = await startEchoServer('http2-echo-server.mjs');
const session = connect(`http://127.0.0.1:${server.port}`, { settings });
try {
  await new Promise((resolve, reject) => {
    session.once('remoteSettings', resolve);
    session.once('error', reject);
  });
  session.setLocalWindowSize(connectionWindowBytes);
  const payload = ipcPayloadOf(1_048_576);
  const count = Math.max(1, Math.round(amount / (1_048_576 * 16)));
  const total = payload.byteLength * count;
  const stream = session.request({ ':method': 'POST', ':path': '/echo' });
  const started = performance.now();
  const received = new Promise((resolve, reject) => {
    let got = 0;
    stream.on('data', (chunk) => {
      got += chunk.byteLength;
      if (got >= total) resolve();
    });
    stream.on('error', reject);
  });
  for (let index = 0; index < count; index += 1) {
    for (let offset = 0; offset < payload.byteLength; offset += pieceBytes) {
      if (!stream.write(payload.subarray(offset, offset + pieceBytes))) {
        await new Promise((resolve) => stream.once('drain', resolve));
      }
    }
  }
  await received;
  const seconds = (performance.now() - started) / 1000;
  stream.close();
  const cpuSeconds = await server.stopAndMeasureCpuSeconds();
  process.stdout.write(`${JSON.stringify({ seconds, bytes: 1_048_576 * 16 * count, cpuSeconds })}\n`);
} finally {
  session.destroy();
  server.kill();
}
