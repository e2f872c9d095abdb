// Baseline: the same RECORD messages built by hand, JSON.stringify'd and written to stdout in 64 KiB
// batches, waiting for 'drain' when the pipe is full. No CDK involved.
import { once } from 'node:events';

const count = Number(process.argv[2]);
let buffer = '';
for (let id = 0; id < count; id++) {
  const message = {
    type: 'RECORD',
    record: { stream: 'numbers', data: { id, name: `item-${id}`, value: id * 2 }, emitted_at: Date.now() },
  };
  buffer += `${JSON.stringify(message)}\n`;
  if (buffer.length >= 65536) {
    const ok = process.stdout.write(buffer);
    buffer = '';
    if (!ok) await once(process.stdout, 'drain');
  }
}
if (buffer.length > 0) process.stdout.write(buffer);
process.on('exit', () => {
  process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
