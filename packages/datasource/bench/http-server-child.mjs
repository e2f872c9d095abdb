// A queue stand-in for the benchmark: parses every form POST like a consumer would (URLSearchParams,
// MessageBody split on blank lines, JSON.parse of each record) and counts records. GET /count answers
// the total. Runs in its own process so the producer has its own core.
import { createServer } from 'node:http';

let records = 0;
let requests = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.end(JSON.stringify({ records, requests }));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    for (const part of (form.get('MessageBody') ?? '').split('\n\n')) {
      if (part !== '') {
        JSON.parse(part);
        records++;
      }
    }
    requests++;
    response.end('<SendMessageResponse/>');
  });
});
server.keepAliveTimeout = 600_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('message', (message) => {
  if (message === 'stop') server.close(() => process.exit(0));
});
