import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToRows } from '@sdk/arrow-chunker';
import { FakeFlowRuntime, type JsonValue } from '@sdk/flow-shim';
import {
  type AirbyteMessage,
  assertValidAirbyteMessage,
  latestStatePerStream,
  toJsonText,
} from '@sdk/stream-cdk';
import { launchPlugin, type PluginProcess, runPlugin } from '@sdk/transport-grpc';
import { Client } from 'pg';
import { adminQuery, createTestDatabase, sourceParams } from './__fixtures__/test-server';
import { SOURCE_TYPE_PARSERS } from './internal/value-parsers';

// Written by the jest global setup (scripts/jest-transpile-sources.js): src/, transpiled.
const bin = (name: string) =>
  join(__dirname, '..', 'node_modules', '.cache', 'transpiled-src', 'bin', `${name}.js`);

/** A table with the values that are hardest to carry across engines. */
const EDGE_TABLE = `
  CREATE TABLE edge_values (
    id bigint PRIMARY KEY,
    big bigint,
    exact numeric(38, 12),
    ratio float8,
    at timestamptz NOT NULL,
    doc jsonb,
    ids int8[],
    label text
  );
  INSERT INTO edge_values VALUES
    (1, 9223372036854775807, 12345678901234567890.123456789012, 'NaN', '2026-01-01 10:00:00.123456+00', '{"n": 12345678901234567890, "x": null}', '{1,9007199254740993}', 'ünïcode'),
    (2, -9007199254740993, -0.000000000001, 'Infinity', '2026-01-02 00:00:00+00', '[1, 2.5, "three"]', '{}', NULL),
    (3, NULL, NULL, '-Infinity', '2026-01-03 12:30:45.999+00', NULL, NULL, ''),
    (4, 42, 1.5, '-0', '2026-01-04 00:00:00+00', '{}', '{NULL,3}', 'quote " and \\ backslash');
`;

/** Rows as the source reads them (its own value parsers), in key order. */
async function tableRows(database: string, table: string, key: string): Promise<Record<string, unknown>[]> {
  const params = sourceParams(database);
  const client = new Client({ ...(params as object), types: SOURCE_TYPE_PARSERS });
  await client.connect();
  try {
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'");
    return (await client.query(`SELECT * FROM ${table} ORDER BY ${key}`)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The JSON text an Airbyte or Flow record of `row` must have: exact integers, NaN and infinities as strings. */
function jsonOf(row: Record<string, unknown>): string {
  const converted = Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ]),
  );
  return toJsonText(converted);
}

interface CliRun {
  code: number | null;
  lines: string[];
  messages: AirbyteMessage[];
  killed: boolean;
}

/** Runs the Airbyte entry point; with `killAfterRecords`, SIGKILLs it once that many RECORD lines came. */
function runAirbyte(args: string[], killAfterRecords?: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin('postgres-source-airbyte'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const messages: AirbyteMessage[] = [];
    let partial = '';
    let records = 0;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (killed) return;
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (killed) return;
        const message = JSON.parse(line) as AirbyteMessage;
        assertValidAirbyteMessage(message, `line ${lines.length}`);
        lines.push(line);
        messages.push(message);
        if (message.type === 'RECORD') records += 1;
        if (killAfterRecords !== undefined && records >= killAfterRecords) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, messages, killed }));
  });
}

describe('postgres-source on other engines', () => {
  let database: string;
  let dir: string;
  let plugin: PluginProcess | undefined;
  const tables = 'edge_values, order_lines, sales.regions';

  beforeAll(async () => {
    database = await createTestDatabase();
    await adminQuery(database, EDGE_TABLE);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'postgres-engines-'));
  });
  afterEach(async () => {
    await plugin?.close();
    plugin = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const params = () => sourceParams(database, { tables, batchSize: 400 });
  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const expected = async () => ({
    edge_values: await tableRows(database, 'edge_values', 'id'),
    order_lines: await tableRows(database, 'order_lines', 'order_id, line_no'),
    sales_regions: await tableRows(database, 'sales.regions', 'code'),
  });
  const keyOf = (stream: string, record: Record<string, unknown>) =>
    stream === 'order_lines'
      ? `${record.order_id}/${record.line_no}`
      : String(stream === 'sales_regions' ? record.code : record.id);

  async function discoveredCatalog() {
    const run = await runAirbyte(['discover', '--config', file('config.json', params())]);
    expect(run.code).toBe(0);
    const catalog = run.messages.find((message) => message.type === 'CATALOG');
    if (catalog?.type !== 'CATALOG') throw new Error('no CATALOG message');
    return catalog.catalog;
  }

  it('is an Airbyte source: tables typed from their columns, every line valid, every value exact', async () => {
    const catalog = await discoveredCatalog();
    expect(catalog.streams.map((stream) => [stream.name, stream.source_defined_primary_key])).toEqual([
      ['edge_values', [['id']]],
      ['order_lines', [['order_id'], ['line_no']]],
      ['sales_regions', [['code']]],
    ]);
    const edge = catalog.streams[0]?.json_schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(edge.properties).toMatchObject({
      id: { type: 'integer' },
      big: { type: ['null', 'integer'] },
      exact: { type: ['null', 'string'] },
      ratio: { type: ['null', 'number'] },
      at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      doc: {},
      ids: { type: ['null', 'array'], items: { type: ['null', 'integer'] } },
    });
    expect(edge.required).toEqual(['id', 'at']);
    const configured = {
      streams: catalog.streams.map((stream) => ({
        stream,
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      })),
    };
    const run = await runAirbyte([
      'read',
      '--config',
      file('config.json', params()),
      '--catalog',
      file('catalog.json', configured),
    ]);
    expect(run.code).toBe(0);
    const want = await expected();
    for (const [stream, rows] of Object.entries(want)) {
      const lines = run.lines.filter((_line, index) => {
        const message = run.messages[index];
        return message?.type === 'RECORD' && message.record.stream === stream;
      });
      expect(
        lines.map((line) => line.slice(line.indexOf('"data":') + 7, line.lastIndexOf(',"emitted_at"'))),
      ).toEqual(rows.map(jsonOf));
    }
  });

  it('resumes the Airbyte read after SIGKILLs at any point without losing a row', async () => {
    const catalog = await discoveredCatalog();
    const configured = file('catalog.json', {
      streams: catalog.streams.map((stream) => ({
        stream,
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      })),
    });
    const want = await expected();
    const total = Object.values(want).reduce((sum, rows) => sum + rows.length, 0);
    for (const killAt of [1, 150, 401, 900]) {
      // The platform commits what a STATE covers; whatever followed the last STATE dies with the process.
      const first = await runAirbyte(
        ['read', '--config', file('config.json', params()), '--catalog', configured],
        killAt,
      );
      expect(first.killed).toBe(true);
      const lastState = first.messages.map((message) => message.type).lastIndexOf('STATE');
      const committed = first.messages.slice(0, lastState + 1);
      const second = await runAirbyte([
        'read',
        '--config',
        file('config.json', params()),
        '--catalog',
        configured,
        '--state',
        file('state.json', latestStatePerStream(committed)),
      ]);
      expect(second.code).toBe(0);
      const keys = [...committed, ...second.messages].flatMap((message) =>
        message.type === 'RECORD'
          ? [`${message.record.stream}:${keyOf(message.record.stream, message.record.data)}`]
          : [],
      );
      expect(keys).toHaveLength(total);
      expect(new Set(keys).size).toBe(total);
    }
  });

  it('is a Flow capture: collections keyed by the primary key, killed sessions resume, each row committed once', async () => {
    const runtime = new FakeFlowRuntime({
      command: process.execPath,
      args: [bin('postgres-source-flow')],
      config: params() as JsonValue,
      timeoutMs: 60_000,
    });
    const bindings = await runtime.discoverAndValidate();
    expect(bindings.map((binding) => [binding.resourcePath.join('/'), binding.key])).toEqual([
      ['edge_values', ['/id']],
      ['order_lines', ['/order_id', '/line_no']],
      ['sales_regions', ['/code']],
    ]);
    const documents: { stream: string; doc: Record<string, unknown> }[] = [];
    for (let session = 0; session < 20; session += 1) {
      const result = await runtime.open(bindings, { killAfterCheckpoints: 2 });
      for (const { binding, doc } of result.documents) {
        documents.push({ stream: bindings[binding]?.resourcePath.join('/') ?? '?', doc });
      }
      if (result.failure === undefined && result.signal === null) break;
    }
    const want = await expected();
    for (const [stream, rows] of Object.entries(want)) {
      const docs = documents.filter((entry) => entry.stream === stream).map((entry) => entry.doc);
      expect(docs.map((doc) => keyOf(stream, doc)).sort()).toEqual(
        rows.map((row) => keyOf(stream, row)).sort(),
      );
    }
    // JSON numbers have no negative zero that JSON readers keep: -0 arrives as 0, as from every JSON source.
    const edgeDocs = documents.filter((entry) => entry.stream === 'edge_values').map((entry) => entry.doc);
    expect(edgeDocs.find((doc) => doc.id === 4)).toMatchObject({
      big: 42,
      ratio: 0,
      label: 'quote " and \\ backslash',
    });
    expect(edgeDocs.find((doc) => doc.id === 2)).toMatchObject({ ratio: 'Infinity', label: null });
  });

  it('is an AMP input tool: one anchor per table, Arrow decoded equal to the table', async () => {
    plugin = await launchPlugin({
      command: process.execPath,
      args: [bin('postgres-source-input-tool')],
      onStderr: () => {},
    });
    const result = await runPlugin(plugin, {
      configXml: `<Configuration><Config>${JSON.stringify(params()).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Config></Configuration>`,
      outgoingAnchors: [{ name: 'edge_values' }, { name: 'order_lines' }, { name: 'sales_regions' }],
      timeoutMs: 60_000,
    });
    const want = await expected();
    const rowsOf = (anchor: string) =>
      (result.outputs.get(anchor) ?? []).flatMap((table) => tableToRows(table));
    expect(rowsOf('sales_regions')).toEqual(want.sales_regions);
    expect(rowsOf('order_lines')).toEqual(
      want.order_lines.map((row) => ({
        ...row,
        order_id: BigInt(row.order_id as number),
        line_no: BigInt(row.line_no as number),
      })),
    );
    const edge = (result.outputs.get('edge_values') ?? []).flatMap((table) => tableToRows(table));
    expect(edge.map((row) => row.big)).toEqual([9223372036854775807n, -9007199254740993n, null, 42n]);
    expect(edge.map((row) => row.exact)).toEqual(want.edge_values.map((row) => row.exact));
    expect(edge.map((row) => row.ratio)).toEqual([Number.NaN, Infinity, -Infinity, -0]);
    expect(edge.map((row) => (row.at as Date).toISOString())).toEqual([
      '2026-01-01T10:00:00.123Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T12:30:45.999Z',
      '2026-01-04T00:00:00.000Z',
    ]);
    // Timestamp(us): the microseconds PostgreSQL holds arrive whole (rows read back as Dates stop at ms).
    const atMicros = (result.outputs.get('edge_values') ?? []).flatMap((table) =>
      Array.from(table.getChild('at')?.data[0]?.values as BigInt64Array),
    );
    expect(atMicros[0]).toBe(1767261600123456n);
    expect(edge.map((row) => row.ids)).toEqual([[1n, 9007199254740993n], [], null, [null, 3n]]);
    // jsonb is Arrow JSON text (the arrow.json extension), its integers exact.
    const docText = (result.outputs.get('edge_values') ?? []).flatMap((table) =>
      Array.from(table.getChild('doc')?.toArray() ?? []),
    );
    expect(docText).toEqual(['{"n":12345678901234567890,"x":null}', '[1,2.5,"three"]', null, '{}']);
    expect(edge.map((row) => row.label)).toEqual(want.edge_values.map((row) => row.label));
  });
});
