// One run of the peer, in its own process like our side's run:
//   node cloudquery-client.mjs <rows>   -> {"seconds","rows","ipcBytesPerRow","clientCpuSeconds","pluginCpuSeconds"}
// Starts the CloudQuery source plugin with its own `serve` command on 127.0.0.1 and connects (GetName),
// then, timed: Init (spec `{"rows": n}`) and Sync of `bench_rows`, decoding every `insert.record` (one
// Arrow IPC stream each) and checking every row (row-checker.mjs, the same check as our side). Exits
// non-zero if a row is missing or wrong.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRowChecker } from './row-checker.mjs';

const require = createRequire(import.meta.url);
const { tableFromIPC } = require('apache-arrow');
// The generated plugin v3 stubs (and the grpc-js copy they were built with) come from the SDK's own
// dependency, so the client speaks exactly the protocol version this SDK release serves.
const sdkRequire = createRequire(require.resolve('@cloudquery/plugin-sdk-javascript/plugin/plugin'));
const { pluginV3 } = sdkRequire('@cloudquery/plugin-pb-javascript');
const pbRequire = createRequire(sdkRequire.resolve('@cloudquery/plugin-pb-javascript'));
const grpc = pbRequire('@grpc/grpc-js');
const v3 = pluginV3.cloudquery.plugin.v3;

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.argv[2]);
if (!Number.isSafeInteger(rows) || rows < 1) throw new Error('usage: cloudquery-client.mjs <rows>');

const plugin = spawn(
  process.execPath,
  // --no-deprecation: the SDK's server calls grpc-js's deprecated `start()`, which warns on every launch.
  [
    '--no-deprecation',
    join(here, 'cloudquery-source-plugin.mjs'),
    'serve',
    '--address',
    '127.0.0.1:0',
    '--log-format',
    'json',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: plugin.stdout });
  plugin.once('exit', (code) => reject(new Error(`CloudQuery plugin exited (${code}) before listening`)));
  lines.on('line', (line) => {
    const found = /server running on port: (\d+)/.exec(line);
    if (found) resolve(Number(found[1]));
  });
});
// Keep draining the plugin's log lines so that a full pipe never stalls it.
plugin.stdout.resume();

const client = new v3.PluginClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
// CPU seconds the plugin process has used so far, from /proc (Linux); null elsewhere.
function pluginCpuSeconds() {
  try {
    const fields = readFileSync(`/proc/${plugin.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}
const unary = (method, request) =>
  new Promise((resolve, reject) => {
    client[method](request, (error, response) => (error ? reject(error) : resolve(response)));
  });

try {
  await unary('GetName', new v3.GetName.Request());
  const checker = createRowChecker(rows);
  const pluginCpuBefore = pluginCpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  let ipcBytes = 0;
  let migrations = 0;
  const started = performance.now();
  await unary(
    'Init',
    new v3.Init.Request({ spec: new TextEncoder().encode(JSON.stringify({ rows })), no_connection: false }),
  );
  await new Promise((resolve, reject) => {
    const call = client.Sync(new v3.Sync.Request({ tables: ['bench_rows'] }));
    call.on('data', (response) => {
      try {
        if (response.has_migrate_table) {
          migrations += 1;
        } else if (response.has_insert) {
          const record = response.insert.record;
          ipcBytes += record.byteLength;
          const table = tableFromIPC(record);
          const tableName = table.schema.metadata.get('cq:table_name');
          if (tableName !== 'bench_rows') throw new Error(`record of table ${tableName}`);
          checker.check(table);
        }
      } catch (error) {
        call.cancel();
        reject(error);
      }
    });
    call.on('error', reject);
    call.on('end', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const pluginCpuAfter = pluginCpuSeconds();
  if (migrations !== 1) throw new Error(`expected 1 migrate_table message, got ${migrations}`);
  const received = checker.finish();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      rows: received,
      ipcBytesPerRow: ipcBytes / received,
      clientCpuSeconds: (clientCpu.user + clientCpu.system) / 1e6,
      pluginCpuSeconds:
        pluginCpuBefore === null || pluginCpuAfter === null ? null : pluginCpuAfter - pluginCpuBefore,
    })}\n`,
  );
} finally {
  client.close();
  plugin.kill('SIGTERM');
}
