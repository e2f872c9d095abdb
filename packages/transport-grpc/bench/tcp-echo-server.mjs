// Baseline peer: echoes every byte back on 127.0.0.1, in its own process like the plugin.
import { createServer } from 'node:net';

const server = createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ListenPort: ${server.address().port}\n`);
});
// Asked to stop, it reports its CPU time (microseconds) so the client can add it to its own.
process.on('SIGTERM', () => {
  const usage = process.resourceUsage();
  process.stdout.write(`cpuMicros=${usage.userCPUTime + usage.systemCPUTime}\n`, () => process.exit(0));
});
