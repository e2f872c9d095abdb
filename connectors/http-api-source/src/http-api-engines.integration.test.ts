import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type SampleApi, startSampleApi } from '@connectors/sample-api';
import { tableToRows } from '@sdk/arrow-chunker';
import { FakeFlowRuntime } from '@sdk/flow-shim';
import { launchPlugin, type PluginProcess, runPlugin } from '@sdk/transport-grpc';
import type { Table } from 'apache-arrow';

// Written by the jest global setup (scripts/jest-transpile-sources.js): src/, transpiled.
const transpiled = join(__dirname, '..', 'node_modules', '.cache', 'transpiled-src');
const inputToolEntry = join(transpiled, 'bin', 'http-api-input-tool.js');
const panoplyModule = join(transpiled, 'http-api-panoply-module.js');
const runnerBin = join(
  dirname(require.resolve('@sdk/datasource/package.json')),
  'dist',
  'bin',
  'sdk-datasource-run.js',
);

const streams = ['regions', 'customers', 'orders', 'customer_notes'] as const;
type StreamName = (typeof streams)[number];

function expectedRecords(sample: SampleApi): Record<StreamName, readonly object[]> {
  return {
    regions: sample.data.regions,
    customers: sample.data.customers,
    orders: sample.data.orders,
    customer_notes: sample.data.notes,
  };
}

const keyOf = (stream: string, record: Record<string, unknown>): string =>
  String(stream === 'regions' ? record.code : record.id);

/** An Arrow row as the JSON value the API sent: Dates back to ISO text, Int64 bigints to numbers. */
function jsonRow(
  row: Record<string, unknown>,
  original: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null && original !== undefined && !(key in original)) continue;
    if (typeof value === 'bigint') out[key] = Number(value);
    else if (value instanceof Date) {
      // Compare instants: the API's text and Arrow's milliseconds are two spellings of one time.
      const sent = original?.[key];
      out[key] =
        typeof sent === 'string' && Date.parse(sent) === value.getTime() ? sent : value.toISOString();
    } else out[key] = value;
  }
  return out;
}

describe('http-api-source on other engines', () => {
  let api: SampleApi | undefined;
  let dir: string;
  const children: ChildProcess[] = [];
  let plugin: PluginProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'http-api-engines-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await plugin?.close();
    plugin = undefined;
    await api?.close();
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (sample: SampleApi) => ({
    base_url: sample.url,
    api_key: sample.credentials.apiKey,
    retry_base_delay_ms: 5,
    page_size: 20,
  });

  it('serves every stream to an AMP engine as Arrow on its own anchor, equal to what the API holds', async () => {
    api = await startSampleApi({
      customers: 45,
      orders: 70,
      rateLimitEvery: 9,
      retryAfterSeconds: 0,
      failEvery: 11,
    });
    plugin = await launchPlugin({ command: process.execPath, args: [inputToolEntry], onStderr: () => {} });
    const result = await runPlugin(plugin, {
      configXml: `<Configuration><Config>${JSON.stringify(config(api))}</Config></Configuration>`,
      outgoingAnchors: streams.map((name) => ({ name })),
      timeoutMs: 120_000,
    });
    const expected = expectedRecords(api);
    for (const stream of streams) {
      const originals = new Map(
        (expected[stream] as Record<string, unknown>[]).map((record) => [keyOf(stream, record), record]),
      );
      const rows = (result.outputs.get(stream) ?? []).flatMap((table: Table) => tableToRows(table));
      const received = rows.map((row) => jsonRow(row, originals.get(keyOf(stream, row))));
      expect(received).toEqual(expected[stream]);
      expect(result.outgoingSchemas.get(stream)?.fields.length).toBeGreaterThan(0);
    }
    expect(
      result.messages.filter((message) => message.kind === 'info').map((message) => message.message),
    ).toEqual(expect.arrayContaining(streams.map((name) => `${name}: ${expected[name].length} records`)));
  });

  it('loses nothing on AMP when the tool process is killed mid-run: the rerun delivers every record', async () => {
    api = await startSampleApi({ customers: 200, orders: 300, latencyMs: 10 });
    const configXml = `<Configuration><Config>${JSON.stringify({ ...config(api), page_size: 10 })}</Config><State>[]</State></Configuration>`;
    const outgoingAnchors = streams.map((name) => ({ name }));
    plugin = await launchPlugin({ command: process.execPath, args: [inputToolEntry], onStderr: () => {} });
    const killed = plugin;
    let tablesBeforeKill = 0;
    const failed = await runPlugin(killed, {
      configXml,
      outgoingAnchors,
      timeoutMs: 120_000,
      onOutput: () => {
        tablesBeforeKill += 1;
        killed.kill('SIGKILL');
      },
    }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: expect.stringMatching(/^TRANSPORT_/) });
    expect(tablesBeforeKill).toBeGreaterThan(0);
    await killed.close();
    // The engine discards a failed run; the state in the tool configuration moved only on success.
    plugin = await launchPlugin({ command: process.execPath, args: [inputToolEntry], onStderr: () => {} });
    const result = await runPlugin(plugin, { configXml, outgoingAnchors, timeoutMs: 120_000 });
    const expected = expectedRecords(api);
    for (const stream of streams) {
      const keys = (result.outputs.get(stream) ?? [])
        .flatMap((table: Table) => tableToRows(table))
        .map((row) => keyOf(stream, row));
      expect(keys).toEqual(
        expected[stream].map((record) => keyOf(stream, record as Record<string, unknown>)),
      );
    }
    expect(result.messages.filter((message) => message.kind === 'config-xml')).toHaveLength(1);
  });

  it('runs as a Flow capture through the flow-shim command, with no code: killed sessions resume, each record once', async () => {
    api = await startSampleApi({ customers: 30, orders: 50 });
    const flowShim = join(
      dirname(require.resolve('@sdk/flow-shim/package.json')),
      'dist',
      'bin',
      'flow-shim.js',
    );
    const runtime = new FakeFlowRuntime({
      command: process.execPath,
      args: [flowShim, 'airbyte', '--', process.execPath, join(transpiled, 'bin', 'http-api-source.js')],
      config: config(api),
      timeoutMs: 60_000,
    });
    const bindings = await runtime.discoverAndValidate();
    expect(bindings.map((binding) => [binding.resourcePath.join('/'), binding.key])).toEqual([
      ['regions', ['/code']],
      ['customers', ['/id']],
      ['orders', ['/id']],
      ['customer_notes', ['/id']],
    ]);
    // One session killed after three checkpoints, then one that runs to the end from the committed state.
    const documents: { stream: string; key: string }[] = [];
    const killed = await runtime.open(bindings, { killAfterCheckpoints: 3 });
    expect(killed.signal).toBe('SIGKILL');
    const finished = await runtime.open(bindings);
    expect(finished.failure).toBeUndefined();
    for (const { binding, doc } of [...killed.documents, ...finished.documents]) {
      const stream = bindings[binding]?.resourcePath.join('/') ?? '?';
      documents.push({ stream, key: keyOf(stream, doc) });
    }
    const expected = expectedRecords(api);
    for (const stream of streams) {
      const keys = documents.filter((document) => document.stream === stream).map((document) => document.key);
      const want = expected[stream].map((record) => keyOf(stream, record as Record<string, unknown>));
      // Full refresh streams start over in a session after a kill; incremental ones never repeat.
      expect(new Set(keys)).toEqual(new Set(want));
      if (stream === 'orders') expect(keys).toHaveLength(want.length);
    }
  });

  it('runs through the Panoply runner into a JSON-lines file, and resumes after SIGKILLs without losing a record', async () => {
    api = await startSampleApi({ customers: 60, orders: 90, latencyMs: 15 });
    const output = join(dir, 'out.jsonl');
    const stateFile = join(dir, 'state.json');
    const runner = () =>
      spawn(
        process.execPath,
        [
          runnerBin,
          panoplyModule,
          '--output',
          output,
          '--state-file',
          stateFile,
          '--batch-size',
          '10',
          '--progress',
          'none',
          '--params-json',
          JSON.stringify(config(api as SampleApi)),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    const exitOf = (child: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
    // Kill the runner a few times as the file grows, then let a last run finish.
    let kills = 0;
    for (const lines of [15, 70, 160]) {
      const child = runner();
      children.push(child);
      const exited = exitOf(child);
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const count = existsSync(output) ? readFileSync(output, 'utf8').split('\n').length - 1 : 0;
          if (count >= lines || child.exitCode !== null) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      }
      await exited;
    }
    const last = runner();
    children.push(last);
    let stderr = '';
    last.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    expect(await exitOf(last)).toEqual({ code: 0, signal: null });
    expect(kills).toBeGreaterThan(0);
    const delivered = readFileSync(output, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = expectedRecords(api);
    for (const stream of streams) {
      const rows = delivered.filter((record) => record.__table === stream);
      const byKey = new Map(rows.map((record) => [keyOf(stream, record), record]));
      expect([...byKey.keys()].sort()).toEqual(
        expected[stream].map((record) => keyOf(stream, record as Record<string, unknown>)).sort(),
      );
      for (const record of expected[stream] as Record<string, unknown>[]) {
        const {
          __table: _table,
          __state: _state,
          ...data
        } = byKey.get(keyOf(stream, record)) as Record<string, unknown>;
        expect(data).toEqual(record);
      }
    }
    expect(stderr).not.toContain(api.credentials.apiKey);
  });
});
