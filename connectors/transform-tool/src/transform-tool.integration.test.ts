import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { launchPlugin, type PluginProcess, runPlugin, TransportError } from '@sdk/transport-grpc';
import { Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { pluginEntryPoint } from './__fixtures__/plugin-entry-point';

const launched: PluginProcess[] = [];

afterEach(async () => {
  for (const plugin of launched.splice(0)) await plugin.close();
});

/** Launches the tool's real entry point (the bin) the way an engine launches any plugin command. */
async function launchTool(): Promise<PluginProcess> {
  const plugin = await launchPlugin({
    command: process.execPath,
    args: [pluginEntryPoint],
    host: '127.0.0.1',
    onStderr: () => undefined,
  });
  launched.push(plugin);
  return plugin;
}

async function rejectionOf(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    return error as TransportError;
  }
  throw new Error('expected the run to fail');
}

const statuses = ['paid', 'open', 'refunded', 'Paid'];

interface Orders {
  ids: Int32Array;
  amounts: (number | null)[];
  statuses: (string | null)[];
  quantities: Int32Array;
}

/** Deterministic pseudo-random orders with unique ids starting at `firstId`; ~5% null amounts and statuses. */
function generateOrders(firstId: number, count: number, seed: number): Orders {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const orders: Orders = {
    ids: new Int32Array(count),
    amounts: new Array(count),
    statuses: new Array(count),
    quantities: new Int32Array(count),
  };
  for (let index = 0; index < count; index += 1) {
    orders.ids[index] = firstId + index;
    orders.amounts[index] = next() < 0.05 ? null : Math.round(next() * 50_000) / 100;
    orders.statuses[index] =
      next() < 0.05 ? null : (statuses[Math.floor(next() * statuses.length)] as string);
    orders.quantities[index] = Math.floor(next() * 20) - 5;
  }
  return orders;
}

function ordersTable(orders: Orders, start: number, end: number): Table {
  return new Table({
    id: vectorFromArray(orders.ids.subarray(start, end)),
    amount: vectorFromArray(orders.amounts.slice(start, end), new Float64()),
    status: vectorFromArray(orders.statuses.slice(start, end), new Utf8()),
    qty: vectorFromArray(orders.quantities.subarray(start, end)),
  });
}

const configXml = `<Configuration>
  <Filter>amount &gt; 100 and lower(status) == 'paid' or qty &lt; 0</Filter>
  <Formula name="amount_eur" type="double">amount * 0.92</Formula>
  <Formula name="total" type="double">round(coalesce(amount, 0) * qty, 2)</Formula>
  <Formula name="label">upper(status) + '/' + [status]</Formula>
  <Formula name="bulk">qty &gt;= 10</Formula>
</Configuration>`;

/** The same config, written row by row in plain JavaScript with SQL null semantics. */
function referenceRow(amount: number | null, status: string | null, qty: number) {
  const bigAndPaid =
    amount === null || status === null
      ? amount !== null && amount <= 100
        ? false
        : null
      : amount > 100 && status.toLowerCase() === 'paid';
  const keep = bigAndPaid === true || qty < 0;
  if (!keep) return undefined;
  const total = (amount ?? 0) * qty;
  return {
    amount_eur: amount === null ? null : amount * 0.92,
    total: (total < 0 ? -1 : 1) * (Math.round(Math.abs(total) * 100) / 100),
    label: status === null ? null : `${status.toUpperCase()}/${status}`,
    bulk: qty >= 10,
  };
}

describe('the transform tool launched as a plugin process', () => {
  // The volume proves the behaviour (several tables per connection, four connections interleaved, every
  // row checked); throughput belongs in the transport's benchmarks.
  it('streams 200,000 rows over four connections, matches a row-by-row reference on every row and reports progress', async () => {
    const plugin = await launchTool();
    const connections = 4;
    const rowsPerConnection = 50_000;
    const tableRows = 10_000;
    const data = Array.from({ length: connections }, (_, index) =>
      generateOrders(index * rowsPerConnection, rowsPerConnection, 17 + index),
    );
    const inputs: Record<string, Table[]> = {};
    data.forEach((orders, index) => {
      inputs[`#${index + 1}`] = Array.from({ length: rowsPerConnection / tableRows }, (_, part) =>
        ordersTable(orders, part * tableRows, (part + 1) * tableRows),
      );
    });

    const progress: number[] = [];
    const result = await runPlugin(plugin, {
      configXml,
      inputs: { Input: inputs },
      outgoingAnchors: [{ name: 'Output' }],
      onProgress: (fraction) => progress.push(fraction),
      timeoutMs: 150_000,
    });

    // One step per completed connection out of five, then 1 at onComplete (float on the wire).
    expect(progress).toHaveLength(connections + 1);
    [0.2, 0.4, 0.6, 0.8, 1].forEach((expected, index) => {
      expect(progress[index]).toBeCloseTo(expected, 6);
    });
    expect(result.progress).toBe(1);

    const declared = result.outgoingSchemas.get('Output');
    expect(declared?.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
      'id:Int32',
      'amount:Float64',
      'status:Utf8',
      'qty:Int32',
      'amount_eur:Float64',
      'total:Float64',
      'label:Utf8',
      'bulk:Bool',
    ]);
    let expectedRows = 0;
    const expectedById = new Map<number, ReturnType<typeof referenceRow>>();
    for (const orders of data) {
      for (let index = 0; index < orders.ids.length; index += 1) {
        const expected = referenceRow(
          orders.amounts[index] ?? null,
          orders.statuses[index] ?? null,
          orders.quantities[index] as number,
        );
        if (expected === undefined) continue;
        expectedRows += 1;
        expectedById.set(orders.ids[index] as number, expected);
      }
    }
    const seen = new Set<number>();
    const mismatches: string[] = [];
    for (const table of result.outputs.get('Output') ?? []) {
      expect(table.schema.fields.map(String)).toEqual(declared?.fields.map(String));
      const ids = table.getChild('id')?.toArray() as Int32Array;
      const columns = ['amount_eur', 'total', 'label', 'bulk'].map((name) => table.getChild(name));
      for (let row = 0; row < table.numRows; row += 1) {
        const id = ids[row] as number;
        const expected = expectedById.get(id);
        const actual = Object.fromEntries(
          ['amount_eur', 'total', 'label', 'bulk'].map((name, index) => [
            name,
            columns[index]?.get(row) ?? null,
          ]),
        );
        if (expected === undefined || seen.has(id) || JSON.stringify(actual) !== JSON.stringify(expected)) {
          if (mismatches.length < 5)
            mismatches.push(`id ${id}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
        }
        seen.add(id);
      }
    }
    expect(mismatches).toEqual([]);
    expect(seen.size).toBe(expectedRows);
    expect(expectedRows).toBeGreaterThan(20_000);
    expect(
      result.messages.some((message) =>
        message.message.includes(`${connections * rowsPerConnection} rows in`),
      ),
    ).toBe(true);
  }, 180_000);

  it('passes tables through unchanged, and declares their schema, when nothing is configured', async () => {
    const plugin = await launchTool();
    const orders = generateOrders(0, 1_000, 5);
    const result = await runPlugin(plugin, {
      configXml: '<Configuration />',
      inputs: { Input: { '#1': [ordersTable(orders, 0, 600)], '#2': [ordersTable(orders, 600, 1_000)] } },
      outgoingAnchors: [{ name: 'Output' }],
    });
    const outputs = result.outputs.get('Output') ?? [];
    const ids = outputs.flatMap((table) => Array.from(table.getChild('id')?.toArray() as Int32Array));
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from(orders.ids));
    expect(result.outgoingSchemas.get('Output')?.fields.map((field) => field.name)).toEqual([
      'id',
      'amount',
      'status',
      'qty',
    ]);
  });

  it.each([
    [
      '<Configuration><Filter>amount &gt; (100</Filter></Configuration>',
      '[TRANSFORM_SYNTAX]',
      'line 1, column 14',
    ],
    [
      '<Configuration><Filter>amount &gt; 1 and stauts == 1</Filter></Configuration>',
      '[TRANSFORM_UNKNOWN_COLUMN]',
      'line 1, column 16',
    ],
    [
      '<Configuration><Filter>status &gt; 100</Filter></Configuration>',
      '[TRANSFORM_TYPE]',
      'line 1, column 8',
    ],
    ['<Configuration><Formula name="x">1</Configuration>', '[TRANSFORM_CONFIG]', 'tool config XML'],
  ])('fails the run with a typed error for %p, naming the code and position', async (xml, code, where) => {
    const plugin = await launchTool();
    const error = await rejectionOf(
      runPlugin(plugin, {
        configXml: xml,
        inputs: { Input: { '#1': [ordersTable(generateOrders(0, 10, 1), 0, 10)] } },
        outgoingAnchors: [{ name: 'Output' }],
        timeoutMs: 20_000,
      }),
    );
    expect(error.code).toBe('TRANSPORT_PLUGIN_FAILED');
    expect(error.message).toContain(code);
    expect(error.message).toContain(where);
  });

  it('checks the expressions in update-only mode too, where only the constructor runs', async () => {
    const plugin = await launchTool();
    const error = await rejectionOf(
      runPlugin(plugin, {
        configXml: '<Configuration><Filter>amount &gt;</Filter></Configuration>',
        outgoingAnchors: [{ name: 'Output' }],
        updateMode: 'full',
        timeoutMs: 20_000,
      }),
    );
    expect(error.message).toContain('[TRANSFORM_SYNTAX]');
    const ok = await runPlugin(plugin, {
      configXml: '<Configuration><Filter>amount &gt; 1</Filter></Configuration>',
      outgoingAnchors: [{ name: 'Output' }],
      updateMode: 'full',
      timeoutMs: 20_000,
    });
    expect(ok.outputs.get('Output') ?? []).toEqual([]);
  });

  it('fails when a connection brings a schema that gives a different output than the declared one', async () => {
    const plugin = await launchTool();
    const orders = generateOrders(0, 10, 1);
    const other = new Table({
      id: vectorFromArray(Int32Array.from([1])),
      amount: vectorFromArray([5], new Float64()),
    });
    const error = await rejectionOf(
      runPlugin(plugin, {
        configXml: '<Configuration><Filter>amount &gt; 1</Filter></Configuration>',
        inputs: { Input: { '#1': [ordersTable(orders, 0, 10), other] } },
        outgoingAnchors: [{ name: 'Output' }],
        timeoutMs: 20_000,
      }),
    );
    expect(error.code).toBe('TRANSPORT_PLUGIN_FAILED');
    expect(error.message).toContain('[TRANSFORM_SCHEMA]');
    expect(error.message).toContain("anchor 'Input', connection '#1'");
  });

  it('runs under the sdk-run-plugin harness against a CSV file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'transform-tool-'));
    try {
      writeFileSync(
        join(work, 'orders.csv'),
        'id,amount,status\n1,50,paid\n2,150,paid\n3,,paid\n4,300,open\n5,120.5,paid\n',
      );
      writeFileSync(
        join(work, 'tool.xml'),
        `<Configuration><Filter>amount &gt; 100 and status == 'paid'</Filter><Formula name="amount_eur" type="double">amount * 0.92</Formula></Configuration>`,
      );
      const harness = join(
        dirname(require.resolve('@sdk/transport-grpc/package.json')),
        'dist',
        'bin',
        'run-plugin.js',
      );
      const { stdout } = await promisify(execFile)(process.execPath, [
        harness,
        join(dirname(pluginEntryPoint), '..', 'index.js'),
        '--export',
        'TransformTool',
        '--input',
        join(work, 'orders.csv'),
        '--output',
        join(work, 'out.jsonl'),
        '--config',
        join(work, 'tool.xml'),
      ]);
      expect(stdout).toContain('Output: 2 rows');
      const rows = readFileSync(join(work, 'out.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(rows).toEqual([
        { id: 2, amount: 150, status: 'paid', amount_eur: 150 * 0.92 },
        { id: 5, amount: 120.5, status: 'paid', amount_eur: 120.5 * 0.92 },
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
