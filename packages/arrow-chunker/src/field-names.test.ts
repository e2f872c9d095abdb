import {
  Bool,
  DenseUnion,
  Field,
  FixedSizeList,
  Float64,
  Int32,
  List,
  Map_,
  makeData,
  makeVector,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { inferArrowSchema } from './infer-arrow-schema.js';
import { type ArrowRow, recordBatchToRows, tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

const awkwardNames = ['__proto__', 'constructor', 'prototype', '', 'toString', 'hasOwnProperty', 'valueOf'];

/** rows -> RecordBatch -> chunks -> assembler -> rows. */
function roundTrip(rows: ArrowRow[], schema?: Schema): ArrowRow[] {
  const batch = rowsToRecordBatch(rows, { schema });
  const assembler = new ChunkAssembler();
  const tables = [...encodeChunks(batch, { maxChunkBytes: 64 })]
    .map((chunk) => assembler.push(chunk))
    .filter((table) => table !== undefined);
  expect(tables).toHaveLength(1);
  return tableToRows(tables[0]!);
}

/**
 * Deep equality on own enumerable properties and prototypes: `toEqual` cannot tell an own `__proto__`
 * property from a prototype.
 */
function expectSameOwnData(actual: unknown, expected: unknown, path = 'row'): void {
  if (typeof expected !== 'object' || expected === null || expected instanceof Date) {
    expect({ path, value: actual }).toEqual({ path, value: expected });
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    const list = actual as unknown[];
    expect(list).toHaveLength(expected.length);
    for (const [index, element] of expected.entries())
      expectSameOwnData(list[index], element, `${path}[${index}]`);
    return;
  }
  expect({ path, prototype: Object.getPrototypeOf(actual) }).toEqual({ path, prototype: Object.prototype });
  const object = actual as Record<string, unknown>;
  expect({ path, keys: Object.keys(object).sort() }).toEqual({ path, keys: Object.keys(expected).sort() });
  for (const key of Object.keys(expected)) {
    expect({ path, key, own: Object.hasOwn(object, key) }).toEqual({ path, key, own: true });
    expectSameOwnData(object[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

describe('rows are safe for any field name', () => {
  it('keeps a JSON "__proto__" key as data: the value survives and nothing is inherited', () => {
    const rows = JSON.parse('[{"__proto__":{"polluted":1},"ok":1}]') as ArrowRow[];
    const back = roundTrip(rows);
    expect(Object.getPrototypeOf(back[0])).toBe(Object.prototype);
    expect(Object.hasOwn(back[0]!, '__proto__')).toBe(true);
    expect((back[0] as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expectSameOwnData(back, rows);
  });

  it.each(awkwardNames)('round-trips a field named %j at every nesting level', (name) => {
    const leaf = JSON.parse(`{${JSON.stringify(name)}: "v", "n": 1}`) as ArrowRow;
    const nested = JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(leaf)}}`) as ArrowRow;
    const rows = [
      JSON.parse(
        `{${JSON.stringify(name)}: 5, "struct": ${JSON.stringify(leaf)}, "deep": ${JSON.stringify(nested)}, "list": [${JSON.stringify(leaf)}]}`,
      ) as ArrowRow,
      JSON.parse(`{${JSON.stringify(name)}: null, "struct": null, "deep": null, "list": []}`) as ArrowRow,
    ];
    const schema = inferArrowSchema(rows);
    expect(schema.fields.map((field) => field.name)).toEqual([name, 'struct', 'deep', 'list']);
    expectSameOwnData(roundTrip(rows), rows);
  });

  it('reads a missing field that Object.prototype also has as missing, not as the inherited value', () => {
    const schema = new Schema([
      new Field('constructor', new Utf8(), true),
      new Field('toString', new Float64(), true),
      new Field('__proto__', new Struct([new Field('a', new Int32(), true)]), true),
    ]);
    const back = roundTrip([{}], schema);
    expectSameOwnData(back, [JSON.parse('{"constructor": null, "toString": null, "__proto__": null}')]);
  });

  it('keeps a struct field named "constructor" holding true (which Arrow\'s struct builder misreads)', () => {
    const type = new Struct([new Field('constructor', new Bool(), true), new Field('x', new Int32(), true)]);
    const schema = new Schema([
      new Field('s', type, true),
      new Field('l', new List(new Field('item', type, true)), true),
    ]);
    const rows = [
      { s: JSON.parse('{"constructor": true, "x": 3}'), l: [JSON.parse('{"constructor": true, "x": 4}')] },
    ];
    expectSameOwnData(roundTrip(rows, schema), rows);
  });

  it('accepts null-prototype rows', () => {
    const row = Object.create(null) as ArrowRow;
    const protoKey = '__proto__';
    row[protoKey] = 1;
    row.a = 'x';
    expectSameOwnData(roundTrip([row]), [JSON.parse('{"__proto__": 1, "a": "x"}')]);
  });

  it('builds map values with own properties, even for the key "__proto__"', () => {
    const entryType = new Struct([
      new Field('key', new Utf8(), false),
      new Field('value', new Int32(), true),
    ]);
    const mapType = new Map_(new Field('entries', entryType, false));
    const entries = makeData({
      type: entryType,
      length: 2,
      children: [
        vectorFromArray(['__proto__', 'ok'], new Utf8()).data[0]!,
        makeData({ type: new Int32(), length: 2, data: Int32Array.of(1, 2) }),
      ],
    });
    const map = makeData({ type: mapType, length: 1, valueOffsets: Int32Array.of(0, 2), child: entries });
    const rows = recordBatchToRows(new Table({ m: makeVector(map) }).batches[0]!);
    expectSameOwnData(rows, [{ m: JSON.parse('{"__proto__": 1, "ok": 2}') }]);
  });

  it('builds fixed-size list and union values with own properties too', () => {
    const structType = new Struct([new Field('__proto__', new Int32(), true)]);
    const structData = makeData({
      type: structType,
      length: 2,
      children: [makeData({ type: new Int32(), length: 2, data: Int32Array.of(1, 2) })],
    });
    const fixed = makeData({
      type: new FixedSizeList(2, new Field('item', structType, true)),
      length: 1,
      child: structData,
    });
    const union = makeData({
      type: new DenseUnion([0], [new Field('s', structType, true)]),
      length: 2,
      typeIds: Int8Array.of(0, 0),
      valueOffsets: Int32Array.of(1, 0),
      children: [structData],
    });
    const rows = recordBatchToRows(new Table({ f: makeVector(fixed) }).batches[0]!);
    expectSameOwnData(rows, [{ f: [JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 2}')] }]);
    const unionRows = recordBatchToRows(new Table({ u: makeVector(union) }).batches[0]!);
    expectSameOwnData(unionRows, [
      { u: JSON.parse('{"__proto__": 2}') },
      { u: JSON.parse('{"__proto__": 1}') },
    ]);
  });
});
