// Ceiling peer: one HTTP/2 stream echoing its request body, with no gRPC framing at all: the protocol
// every gRPC transport rides on, as Node's http2 module carries it.
import { createServer } from 'node:http2';
import { reportCpuOnSigterm } from './echo-peer.mjs';
import { connectionWindowBytes, settings } from './http2-echo-settings.mjs';

const server = createServer({ settings });
server.on('session', (session) => session.setLocalWindowSize(connectionWindowBytes));
server.on('stream', (stream) => {
  stream.respond({ ':status': 200 });
  stream.pipe(stream);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ListenPort: ${server.address().port}\n`);
});
reportCpuOnSigterm();
