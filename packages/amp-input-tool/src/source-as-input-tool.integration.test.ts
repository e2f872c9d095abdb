import { tableToRows } from '@sdk/arrow-chunker';
import {
  type ConnectionInput,
  connectToPlugin,
  type EngineRunOptions,
  type PluginServer,
  runPlugin,
  startPluginServer,
} from '@sdk/transport-grpc';
import { CatalogSource, item } from './__fixtures__/catalog-source';
import { InputToolError } from './errors/input-tool-error';
import { type InputToolOptions, sourceAsInputTool } from './source-as-input-tool';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: InputToolOptions = {}): Promise<PluginServer> {
  const server = await startPluginServer(sourceAsInputTool(new CatalogSource(), options), {
    host: '127.0.0.1',
    port: 0,
  });
  cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
  return server;
}

async function run(
  server: PluginServer,
  runOptions: EngineRunOptions & { inputs?: Record<string, Record<string, ConnectionInput>> },
) {
  const connection = connectToPlugin({ address: `127.0.0.1:${server.port}` });
  cleanups.push(() => connection.close());
  return runPlugin(connection, { timeoutMs: 60_000, ...runOptions });
}

const xml = (config: object, extra = '') =>
  `<Configuration><Config>${JSON.stringify(config).replace(/</g, '&lt;')}</Config>${extra}</Configuration>`;
const anchors = [{ name: 'regions' }, { name: 'items' }];

/** Arrow rows as plain JSON values, to compare with what the source emitted. */
function rowsOf(tables: readonly import('apache-arrow').Table[] | undefined): Record<string, unknown>[] {
  return (tables ?? [])
    .flatMap((table) => tableToRows(table))
    .map(
      (row) =>
        JSON.parse(
          JSON.stringify(row, (_key, value) =>
            typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString() : value,
          ),
        ) as Record<string, unknown>,
    );
}

describe('sourceAsInputTool', () => {
  it('writes each stream to its anchor as Arrow, every value exact, schemas pushed first', async () => {
    const server = await serve({ maxRowsPerTable: 10 });
    const result = await run(server, {
      configXml: xml({ password: 'hunter22', items: 24 }),
      outgoingAnchors: anchors,
    });
    expect(rowsOf(result.outputs.get('regions'))).toEqual([{ code: 'eu' }, { code: 'us' }]);
    const items = result.outputs.get('items') ?? [];
    expect(items.map((table) => table.numRows)).toEqual([10, 10, 4]);
    const expected = Array.from({ length: 24 }, (_, id) => item(id));
    expect(rowsOf(items)).toEqual(expected);
    const bigs = items.flatMap((table) => tableToRows(table)).map((row) => row.big);
    expect(bigs[2]).toBe(9_007_199_254_740_002n);
    expect(result.outgoingSchemas.get('items')?.fields.map((field) => String(field.type))).toEqual([
      'Int64',
      'Int64',
      'Float64',
      'Utf8',
      'Bool',
      'Timestamp<MICROSECOND, UTC>',
      'List<Utf8>',
      'Struct<{w:Int64, h:Int64}>',
    ]);
    expect(result.messages).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'info', message: 'items: 24 records' })]),
    );
  });

  it('pushes the schema of every anchor in a metadata refresh (update-only mode), secrets decrypted, no data', async () => {
    const server = await serve();
    const decrypted: string[] = [];
    const result = await run(server, {
      updateMode: 'quick',
      configXml: xml({ items: 24 }, '<Secret field="password">ENC(hunter22)</Secret>'),
      outgoingAnchors: anchors,
      decryptPassword: (encrypted) => {
        decrypted.push(encrypted);
        return encrypted.replace(/^ENC\((.*)\)$/, '$1');
      },
    });
    expect(decrypted).toEqual(['ENC(hunter22)']);
    expect([...result.outgoingSchemas.keys()].sort()).toEqual(['items', 'regions']);
    expect(result.outgoingSchemas.get('regions')?.fields.map((field) => field.name)).toEqual(['code']);
    expect(result.outputs.size).toBe(0);
    expect(result.closedAnchors).toEqual([]);
  });

  it('fails a metadata refresh whose configuration the spec refuses, as the run would', async () => {
    const server = await serve();
    const error = await run(server, {
      updateMode: 'full',
      configXml: xml({ password: 'hunter22', items: 'many' }),
      outgoingAnchors: anchors,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TRANSPORT_PLUGIN_FAILED' });
    expect(String((error as Error).message)).toContain('INPUT_TOOL_CONFIG');
    expect(String((error as Error).message)).not.toContain('hunter22');
  });

  it('decrypts secrets through the engine and keeps them out of every message', async () => {
    const server = await serve();
    const decrypted: string[] = [];
    const error = await run(server, {
      configXml: xml({ items: 20, fail_at_item: 9 }, '<Secret field="password">ENC(hunter22)</Secret>'),
      outgoingAnchors: anchors,
      decryptPassword: (encrypted) => {
        decrypted.push(encrypted);
        return encrypted.replace(/^ENC\((.*)\)$/, '$1');
      },
    }).catch((caught: unknown) => caught);
    expect(decrypted).toEqual(['ENC(hunter22)']);
    expect(error).toMatchObject({ code: 'TRANSPORT_PLUGIN_FAILED' });
    expect(String((error as Error).message)).toContain('INPUT_TOOL_SOURCE_FAILED');
    expect(String((error as Error).message)).not.toContain('hunter22');
  });

  it('reports a failed stream in band and fails the run, without a secret', async () => {
    const server = await serve();
    const messages: { kind: string; message: string }[] = [];
    const error = await run(server, {
      configXml: xml({ password: 'hunter22', items: 20, fail_at_item: 9 }),
      outgoingAnchors: anchors,
      onMessage: (message) => messages.push(message),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TRANSPORT_PLUGIN_FAILED' });
    const errors = messages.filter((message) => message.kind === 'error').map((message) => message.message);
    expect(errors[0]).toBe('the items API refused password ****');
    expect(errors.at(-1)).toContain(
      '[INPUT_TOOL_SOURCE_FAILED] the items API refused password **** [transient_error]',
    );
    expect(JSON.stringify(messages)).not.toContain('hunter22');
  });

  it('continues incrementally from a <State> and writes the new state back into the tool config', async () => {
    const server = await serve();
    const first = await run(server, {
      configXml: xml({ password: 'p4ssword', items: 10 }, '<State>[]</State>'),
      outgoingAnchors: anchors,
    });
    const saved = first.messages
      .filter((message) => message.kind === 'config-xml')
      .map((message) => message.message);
    expect(saved).toHaveLength(1);
    const second = await run(server, {
      configXml: (saved[0] as string).replace('"items":10', '"items":15'),
      outgoingAnchors: [{ name: 'items' }],
    });
    expect(rowsOf(second.outputs.get('items')).map((row) => row.id)).toEqual([10, 11, 12, 13, 14]);
  });

  it.each([
    ['malformed XML', '<Configuration><Config>{}</Configuration>', 'INPUT_TOOL_CONFIG'],
    [
      'invalid JSON',
      '<Configuration><Config>{"password": hunter22}</Config></Configuration>',
      'INPUT_TOOL_CONFIG',
    ],
    ['a config the spec refuses', xml({ password: 'hunter22', items: -3 }), 'INPUT_TOOL_CONFIG'],
    [
      'an unknown stream',
      xml({ password: 'hunter22', items: 1 }, '<Streams>nope</Streams>'),
      'INPUT_TOOL_CONFIG',
    ],
  ])('refuses %s with a typed error that quotes no secret', async (_label, configXml, code) => {
    const server = await serve();
    const error = await run(server, { configXml, outgoingAnchors: anchors }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'TRANSPORT_PLUGIN_FAILED' });
    expect(String((error as Error).message)).toContain(code);
    expect(String((error as Error).message)).not.toContain('hunter22');
  });

  it('needs an anchor per stream, and maps a single stream to a single anchor', async () => {
    const server = await serve();
    const error = await run(server, {
      configXml: xml({ password: 'x', items: 1 }),
      outgoingAnchors: [{ name: 'Output' }],
    }).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toContain('INPUT_TOOL_ANCHOR');
    const single = await run(server, {
      configXml: xml({ password: 'x', items: 3 }, '<Streams>items</Streams>'),
      outgoingAnchors: [{ name: 'Output' }],
    });
    expect(rowsOf(single.outputs.get('Output')).map((row) => row.id)).toEqual([0, 1, 2]);
  });

  it('fails on record fields the schema does not declare unless told to drop them', async () => {
    const strict = await serve();
    const error = await run(strict, {
      configXml: xml({ password: 'x', items: 3, extra_field: true }),
      outgoingAnchors: anchors,
    }).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toContain('INPUT_TOOL_SCHEMA');
    const lenient = await serve({ extraFields: 'ignore' });
    const result = await run(lenient, {
      configXml: xml({ password: 'x', items: 3, extra_field: true }),
      outgoingAnchors: anchors,
    });
    expect(rowsOf(result.outputs.get('items'))).toHaveLength(3);
  });

  it('reads the strings NaN, Infinity and -Infinity in a float column as those numbers', async () => {
    const server = await serve();
    const result = await run(server, {
      configXml: xml({ password: 'x', items: 4, non_finite: true }),
      outgoingAnchors: anchors,
    });
    const prices = (result.outputs.get('items') ?? [])
      .flatMap((table) => tableToRows(table))
      .map((row) => row.price);
    expect(prices).toEqual([Number.NaN, Infinity, -Infinity, 3.5]);
  });

  it('refuses bad options at once', () => {
    expect(() => sourceAsInputTool(new CatalogSource(), { maxRowsPerTable: 0 })).toThrow(InputToolError);
  });
});
