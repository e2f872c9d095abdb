// Baseline peer: echoes every byte back on 127.0.0.1, in its own process like the plugin.
import { createServer } from 'node:net';
import { reportCpuOnSigterm } from './echo-peer.mjs';

const server = createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ListenPort: ${server.address().port}\n`);
});
reportCpuOnSigterm();
