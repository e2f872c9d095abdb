// One measurement of the adapters benchmark, in its own process: `node cell-child.mjs <cell> <records>`.
// Prints one JSON line: { seconds, records, rssMB } where rssMB is the peak RSS (VmHWM) of the process
// that runs the adapter (this one, or the plugin process for the AMP cells).
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { dataSourceAsSource, sourceAsDataSourceModule } = require('@sdk/datasource-bridge');
const { createJsonLinesFileSink, runDataSource } = require('@sdk/datasource');
const { runSourceCli } = require('@sdk/stream-cdk');
const {
  AirbyteCaptureShim,
  FakeFlowRuntime,
  runCaptureConnector,
  StreamCdkAirbyteDriver,
} = require('@sdk/flow-shim');
const { launchPlugin, runPlugin } = require('@sdk/transport-grpc');
const { dataSourceModule, declaredStreams, OrdersSource } = require('./fixtures.cjs');

const [cell, countText] = process.argv.slice(2);
const count = Number(countText);
const work = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
const quietOutput = { write: () => true, isTTY: false };
/**
 * Output written to a file, as `source read > out.jsonl` would, that also counts the lines starting with
 * `prefix` as they pass; nothing is kept, so the measured process holds no more than the connector
 * itself does (reading the output back would grow with the data).
 */
function countingOutput(prefix) {
  let carry = '';
  const file = createWriteStream(join(work, 'out.jsonl'));
  const output = new Writable({
    write(chunk, _encoding, done) {
      const lines = (carry + chunk.toString('utf8')).split('\n');
      carry = lines.pop();
      for (const line of lines) if (line.startsWith(prefix)) output.count += 1;
      if (file.write(chunk)) done();
      else file.once('drain', () => done());
    },
    final(done) {
      file.end(done);
    },
  });
  output.count = 0;
  return output;
}

const peakMB = (pid = 'self') =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function runnerInto(module) {
  const sink = createJsonLinesFileSink({ filePath: join(work, 'out.jsonl') });
  const summary = await runDataSource({
    module,
    params: { count },
    sink,
    stateFilePath: join(work, 'state.json'),
    batchSize: 1000,
    progress: 'none',
    output: quietOutput,
  });
  await sink.close();
  return summary.recordCount;
}

async function airbyteCliInto(source) {
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ count }));
  const catalog = await source.discover({ count });
  const catalogPath = join(work, 'catalog.json');
  writeFileSync(
    catalogPath,
    JSON.stringify({
      streams: catalog.streams.map((stream) => ({
        stream,
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      })),
    }),
  );
  const stdout = countingOutput('{"type":"RECORD"');
  const started = performance.now();
  const code = await runSourceCli(source, {
    argv: ['read', '--config', config, '--catalog', catalogPath],
    stdout,
  });
  await new Promise((resolve) => stdout.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`read exited ${code}`);
  return { seconds, records: stdout.count };
}

async function ampRun(exportName) {
  const plugin = await launchPlugin({
    modulePath: join(here, 'amp-plugins.cjs'),
    exportName,
    onStderr: () => {},
  });
  try {
    let records = 0;
    const started = performance.now();
    await runPlugin(plugin, {
      configXml: `<Configuration><Config>{"count": ${count}}</Config></Configuration>`,
      outgoingAnchors: [{ name: 'orders' }],
      onOutput: (output) => {
        records += output.table.numRows;
      },
      timeoutMs: 600_000,
    });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, records, rssMB: peakMB(plugin.pid) };
  } finally {
    await plugin.close();
  }
}

async function flowRun(source) {
  const connector = new AirbyteCaptureShim(new StreamCdkAirbyteDriver(source), { mergePatch: false });
  const runtime = new FakeFlowRuntime({ connector, config: { count } });
  const bindings = await runtime.discoverAndValidate();
  // The runtime's own open request, so that the session runs exactly as the runtime would start it.
  const open = {
    open: {
      capture: runtime['captureSpec'](bindings),
      version: 'bench',
      range: { keyEnd: 0xffffffff, rClockEnd: 0xffffffff },
      state: {},
    },
  };
  const stdout = countingOutput('{"captured"');
  const started = performance.now();
  await runCaptureConnector(connector, {
    stdin: (async function* () {
      yield `${JSON.stringify(open)}\n`;
    })(),
    stdout,
    argv: ['--log.level=error'],
    handleSignals: false,
  });
  await new Promise((resolve) => stdout.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, records: stdout.count };
}

try {
  let result;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  switch (cell) {
    case 'datasource-native':
      result = { records: await runnerInto(dataSourceModule), seconds: elapsed(), rssMB: peakMB() };
      break;
    case 'datasource-airbyte': {
      const run = await airbyteCliInto(dataSourceAsSource(dataSourceModule, { streams: declaredStreams }));
      result = { records: run.records, seconds: run.seconds, rssMB: peakMB() };
      break;
    }
    case 'datasource-flow': {
      const run = await flowRun(dataSourceAsSource(dataSourceModule, { streams: declaredStreams }));
      result = { records: run.records, seconds: run.seconds, rssMB: peakMB() };
      break;
    }
    case 'datasource-amp':
      result = await ampRun('DataSourceInputTool');
      break;
    case 'source-native': {
      const run = await airbyteCliInto(new OrdersSource());
      result = { records: run.records, seconds: run.seconds, rssMB: peakMB() };
      break;
    }
    case 'source-panoply':
      result = {
        records: await runnerInto(sourceAsDataSourceModule(new OrdersSource())),
        seconds: elapsed(),
        rssMB: peakMB(),
      };
      break;
    case 'source-amp':
      result = await ampRun('SourceInputTool');
      break;
    case 'amp-native':
      result = await ampRun('NativeInputTool');
      break;
    case 'source-flow': {
      const run = await flowRun(new OrdersSource());
      result = { records: run.records, seconds: run.seconds, rssMB: peakMB() };
      break;
    }
    default:
      throw new Error(`unknown cell ${cell}`);
  }
  if (result.records !== count) throw new Error(`${cell}: ${result.records} records, expected ${count}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
