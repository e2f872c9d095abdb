// One benchmark run of the engine side, in its own process so that its peak RSS is its own:
//   node grpc-engine.mjs throughput <bytes> [carrier]  -> {"seconds","bytes","engineMaxRssKiB","pluginMaxRssKiB","cpuSeconds"}
//   node grpc-engine.mjs latency <samples> [carrier]   -> {"latenciesMs":[...]}
// `carrier` (http2 or grpc-js, both ends) defaults to the package's default.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { launchPlugin, runPlugin } = require('../dist/index.js');
const { tableFromArrays } = require('apache-arrow');
const { peakRssKiB } = require('./peak-rss.cjs');

const here = dirname(fileURLToPath(import.meta.url));
const [mode, amountText, carrier] = process.argv.slice(2);
const amount = Number(amountText);
// PLUGIN_NODE_ARGS passes flags to the plugin process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
const plugin = await launchPlugin({
  modulePath: join(here, 'pass-through-plugin.cjs'),
  nodeArgs: process.env.PLUGIN_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  carrier,
});

function tableOf(rows) {
  const a = new Float64Array(rows);
  const b = new Float64Array(rows);
  for (let index = 0; index < rows; index += 1) {
    a[index] = index;
    b[index] = rows - index;
  }
  return tableFromArrays({ a, b });
}

try {
  if (mode === 'throughput') {
    const rows = 1_048_576; // two float64 columns: 16 MiB per table
    const table = tableOf(rows);
    const tableBytes = rows * 16;
    const count = Math.max(1, Math.round(amount / tableBytes));
    let receivedBytes = 0;
    function* tables() {
      for (let index = 0; index < count; index += 1) yield table;
    }
    const started = performance.now();
    const result = await runPlugin(plugin, {
      inputs: { Input: { '#1': tables() } },
      outgoingAnchors: [{ name: 'Output' }],
      onOutput: (output) => {
        receivedBytes += output.table.numRows * 16;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (receivedBytes !== count * tableBytes)
      throw new Error(`received ${receivedBytes} of ${count * tableBytes} bytes`);
    const reported = (key) =>
      Number(
        result.messages
          .find((message) => message.message.startsWith(`${key}=`))
          ?.message.slice(key.length + 1),
      );
    const usage = process.resourceUsage();
    process.stdout.write(
      `${JSON.stringify({
        seconds,
        bytes: count * tableBytes,
        engineMaxRssKiB: peakRssKiB(),
        pluginMaxRssKiB: reported('maxRSS'),
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime + reported('cpuMicros')) / 1e6,
      })}\n`,
    );
  } else {
    const table = tableOf(1);
    const run = plugin.startRun({
      incomingAnchors: [{ name: 'Input', connections: ['#1'] }],
      outgoingAnchors: [{ name: 'Output' }],
    });
    const outputs = run.outputs[Symbol.asyncIterator]();
    const latenciesMs = [];
    for (let index = 0; index < amount + 10; index += 1) {
      const started = performance.now();
      await run.send('Input', '#1', table);
      await outputs.next();
      if (index >= 10) latenciesMs.push(performance.now() - started); // first 10 warm up
    }
    await run.complete();
    while (!(await outputs.next()).done) {}
    await run.finished;
    process.stdout.write(`${JSON.stringify({ latenciesMs })}\n`);
  }
} finally {
  await plugin.close();
}
