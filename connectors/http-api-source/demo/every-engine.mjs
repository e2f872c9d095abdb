// Demo: one connector, every engine. The sample HTTP API source (a @sdk/stream-cdk Source) is served,
// unchanged, to the four engines this toolkit speaks, one step each, and each engine's copy of the data is
// checked against what the API holds:
//   1. the Airbyte protocol, through the connector's own CLI (its native path);
//   2. an Estuary Flow capture, through @sdk/flow-shim, driven as the Flow runtime drives it;
//   3. an AMP-style input tool over gRPC, through @sdk/amp-input-tool, read back as Arrow;
//   4. a Panoply-style pipeline, through @sdk/datasource-bridge and the runner, into a JSON-lines file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const { HttpApiSource } = require('../dist/index.js');
const { startSampleApi } = require('@connectors/sample-api');
const { AirbyteCaptureShim, FakeFlowRuntime, StreamCdkAirbyteDriver } = require('@sdk/flow-shim');
const { launchPlugin, runPlugin } = require('@sdk/transport-grpc');
const runnerBin = join(
  dirname(require.resolve('@sdk/datasource/package.json')),
  'dist',
  'bin',
  'sdk-datasource-run.js',
);
const work = mkdtempSync(join(tmpdir(), 'every-engine-demo-'));

const streams = ['regions', 'customers', 'orders', 'customer_notes'];
const keyOf = (stream, record) => String(stream === 'regions' ? record.code : record.id);

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const api = await startSampleApi({
  customers: 120,
  orders: 600,
  rateLimitEvery: 25,
  retryAfterSeconds: 0,
  failEvery: 13,
});
let failed = false;
try {
  const expected = {
    regions: api.data.regions,
    customers: api.data.customers,
    orders: api.data.orders,
    customer_notes: api.data.notes,
  };
  const total = streams.reduce((sum, name) => sum + expected[name].length, 0);
  const config = {
    base_url: api.url,
    api_key: api.credentials.apiKey,
    page_size: 100,
    retry_base_delay_ms: 20,
  };
  console.log(
    `One connector, every engine: the sample HTTP API source (${total} records in ${streams.length} streams, with 429s and 500s)`,
  );

  /** What one engine received, by stream: a set of record keys, checked against the API. */
  const results = [];
  const record = (engine, how, byStream, seconds) => {
    const exact = streams.every((name) => {
      const got = byStream.get(name) ?? [];
      const want = expected[name].map((item) => keyOf(name, item)).sort();
      return JSON.stringify([...got].sort()) === JSON.stringify(want);
    });
    const count = streams.reduce((sum, name) => sum + (byStream.get(name)?.length ?? 0), 0);
    results.push({ engine, exact });
    console.log(
      `  ${exact ? '✔' : '✘'} ${engine.padEnd(22)} ${String(count).padStart(5)} records in ${seconds.toFixed(1)} s  ${how}`,
    );
    if (!exact) failed = true;
  };
  const timed = async (work) => {
    const started = performance.now();
    const value = await work();
    return [value, (performance.now() - started) / 1000];
  };

  // 1. Airbyte: the connector's own CLI, as the platform runs it.
  {
    const configPath = join(work, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    const catalog = await new HttpApiSource().discover(config);
    const catalogPath = join(work, 'catalog.json');
    writeFileSync(
      catalogPath,
      JSON.stringify({
        streams: catalog.streams.map((stream) => ({
          stream,
          sync_mode: 'full_refresh',
          destination_sync_mode: 'overwrite',
        })),
      }),
    );
    const [result, seconds] = await timed(() =>
      run(process.execPath, [
        join(dist, 'bin', 'http-api-source.js'),
        'read',
        '--config',
        configPath,
        '--catalog',
        catalogPath,
      ]),
    );
    const byStream = new Map();
    let states = 0;
    for (const line of result.stdout.split('\n').filter(Boolean)) {
      const message = JSON.parse(line);
      if (message.type === 'STATE') states += 1;
      if (message.type !== 'RECORD') continue;
      const list = byStream.get(message.record.stream) ?? [];
      list.push(keyOf(message.record.stream, message.record.data));
      byStream.set(message.record.stream, list);
    }
    record(
      'Airbyte protocol (CLI)',
      `http-api-source read: RECORD lines, ${states} STATE checkpoints`,
      byStream,
      seconds,
    );
  }

  // 2. Flow: the same Source, in-process, behind @sdk/flow-shim's Airbyte shim.
  {
    const runtime = new FakeFlowRuntime({
      connector: new AirbyteCaptureShim(
        new StreamCdkAirbyteDriver(new HttpApiSource(), { name: 'http-api-source' }),
      ),
      config,
      timeoutMs: 120_000,
    });
    const [session, seconds] = await timed(async () => {
      const bindings = await runtime.discoverAndValidate();
      const result = await runtime.open(bindings);
      return { bindings, result };
    });
    const byStream = new Map();
    for (const { binding, doc } of session.result.documents) {
      const name = session.bindings[binding].resourcePath.join('/');
      const list = byStream.get(name) ?? [];
      list.push(keyOf(name, doc));
      byStream.set(name, list);
    }
    record(
      'Estuary Flow capture',
      `${session.bindings.length} bindings, ${session.result.checkpoints.length} committed checkpoints`,
      byStream,
      seconds,
    );
  }

  // 3. AMP: the input tool process, driven by the transport's engine client; Arrow on one anchor per stream.
  {
    const plugin = await launchPlugin({
      command: process.execPath,
      args: [join(dist, 'bin', 'http-api-input-tool.js')],
      onStderr: () => {},
    });
    try {
      const [result, seconds] = await timed(() =>
        runPlugin(plugin, {
          configXml: `<Configuration><Config>${JSON.stringify(config)}</Config></Configuration>`,
          outgoingAnchors: streams.map((name) => ({ name })),
          timeoutMs: 120_000,
        }),
      );
      const byStream = new Map();
      let tables = 0;
      for (const name of streams) {
        const anchorTables = result.outputs.get(name) ?? [];
        tables += anchorTables.length;
        const key = name === 'regions' ? 'code' : 'id';
        byStream.set(
          name,
          anchorTables.flatMap((table) =>
            Array.from(table.getChild(key).toArray(), (value) => String(value)),
          ),
        );
      }
      record(
        'AMP input tool (gRPC)',
        `${tables} Arrow tables on ${streams.length} anchors`,
        byStream,
        seconds,
      );
    } finally {
      await plugin.close();
    }
  }

  // 4. Panoply: the runner with the Source as a DataSource module, into a JSON-lines file with a state file.
  {
    const output = join(work, 'out.jsonl');
    const [result, seconds] = await timed(() =>
      run(process.execPath, [
        runnerBin,
        join(dist, 'http-api-panoply-module.js'),
        '--output',
        output,
        '--state-file',
        join(work, 'state.json'),
        '--progress',
        'none',
        '--params-json',
        JSON.stringify(config),
      ]),
    );
    if (result.code !== 0) console.error(result.stderr);
    const byStream = new Map();
    for (const line of readFileSync(output, 'utf8').split('\n').filter(Boolean)) {
      const row = JSON.parse(line);
      const list = byStream.get(row.__table) ?? [];
      list.push(keyOf(row.__table, row));
      byStream.set(row.__table, list);
    }
    record(
      'Panoply-style runner',
      'sdk-datasource-run: one table per stream, state file kept',
      byStream,
      seconds,
    );
  }

  console.log(
    failed
      ? '  Some engine did not receive exactly what the API holds.'
      : `  Every engine received exactly the ${total} records the API holds, from one connector and no engine-specific code.`,
  );
} finally {
  await api.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
