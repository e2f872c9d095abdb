/**
 * "Standard bytes" checked against two Arrow implementations that share no code with apache-arrow:
 * polars (Rust, through nodejs-polars) and flechette (an independent JavaScript implementation).
 * They read what we encode, and we decode what they write. pyarrow-written streams are covered by
 * interop.test.ts; pyarrow itself is not installable here, so these are the readers CI can run.
 */
import type * as Flechette from '@uwdata/flechette' with { 'resolution-mode': 'import' };
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import * as polars from 'nodejs-polars';
import { atOddOffset } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

// flechette's typings are ESM-only; its package also ships a CommonJS build, which jest loads here.
const flechette: typeof Flechette = require('@uwdata/flechette');

const mixedRows = [
  {
    id: -(2n ** 63n),
    count: 1,
    price: 1.5,
    name: 'héllo',
    flag: true,
    at: new Date('2024-02-29T12:00:00.123Z'),
    tags: [1, 2],
    address: { city: 'Paris', zip: 75001 },
  },
  {
    id: 2n ** 63n - 1n,
    count: null,
    price: null,
    name: null,
    flag: null,
    at: null,
    tags: null,
    address: null,
  },
  {
    id: null,
    count: -7,
    price: -0.25,
    name: '🎉 漢字',
    flag: false,
    at: new Date('1969-12-31T23:59:59Z'),
    tags: [],
    address: { city: null, zip: 1 },
  },
];

/** What a receiver holds once every piece of one stream has arrived: the pieces, joined. */
function encodeToStreamBytes(data: Parameters<typeof encodeChunks>[0], maxChunkBytes: number): Buffer {
  const pieces = [...encodeChunks(data, { maxChunkBytes })];
  expect(pieces.length).toBeGreaterThan(1);
  expect(pieces.filter((piece) => piece.endOfChunk)).toHaveLength(1);
  return Buffer.concat(pieces.map((piece) => piece.data));
}

/** Feeds foreign bytes to our assembler in 5-byte pieces at odd offsets. */
function assembleForeignStream(bytes: Uint8Array): Table {
  const assembler = new ChunkAssembler({ channel: 'foreign' });
  let table: Table | undefined;
  for (let offset = 0; offset < bytes.byteLength; offset += 5) {
    const end = Math.min(offset + 5, bytes.byteLength);
    const completed = assembler.push({
      data: atOddOffset(bytes.subarray(offset, end)),
      endOfChunk: end === bytes.byteLength,
    });
    if (completed !== undefined) table = completed;
  }
  assembler.close();
  if (table === undefined) throw new Error('the assembler completed no stream');
  return table;
}

describe('our bytes, read by polars (Rust)', () => {
  it('reads every column type, nulls, unicode and Int64 extremes exactly', () => {
    const bytes = encodeToStreamBytes(rowsToRecordBatch(mixedRows), 64);
    const frame = polars.readIPCStream(bytes);
    expect(frame.shape).toEqual({ height: 3, width: 8 });
    // JavaScript numbers cannot hold every Int64: compare polars' own decimal rendering.
    expect(frame.getColumn('id').cast(polars.Utf8).toArray()).toEqual([
      '-9223372036854775808',
      '9223372036854775807',
      null,
    ]);
    const records = frame.drop('id').toRecords();
    expect(records).toEqual(
      mixedRows.map(({ id: _id, ...rest }) => ({ ...rest, tags: rest.tags === null ? null : rest.tags })),
    );
  });

  it('reads a stream of several batches and a dictionary column', () => {
    const first = vectorFromArray(['red', 'green', 'red', null], new Dictionary(new Utf8(), new Int32()));
    const table = new Table({ colour: first });
    const twoBatches = new Table([...table.batches, ...table.batches]);
    const frame = polars.readIPCStream(encodeToStreamBytes(twoBatches, 16));
    expect(frame.getColumn('colour').toArray()).toEqual([
      'red',
      'green',
      'red',
      null,
      'red',
      'green',
      'red',
      null,
    ]);
  });
});

describe('our bytes, read by flechette (independent JavaScript implementation)', () => {
  it('reads every column type, nulls, unicode and Int64 extremes exactly', () => {
    const bytes = encodeToStreamBytes(rowsToRecordBatch(mixedRows), 64);
    const rows = flechette.tableFromIPC(bytes, { useBigInt: true, useDate: true }).toArray();
    expect(rows.map((row) => ({ ...row, tags: row.tags === null ? null : Array.from(row.tags) }))).toEqual(
      mixedRows,
    );
  });

  it('reads dictionary-encoded strings', () => {
    const tags = vectorFromArray(['a', 'b', 'a', null], new Dictionary(new Utf8(), new Int32()));
    const bytes = encodeToStreamBytes(new Table({ tag: tags }), 16);
    expect(flechette.tableFromIPC(bytes).toArray()).toEqual([
      { tag: 'a' },
      { tag: 'b' },
      { tag: 'a' },
      { tag: null },
    ]);
  });
});

describe('streams written by polars and flechette, decoded by the assembler', () => {
  it('decodes what polars writes (large strings, Int64, floats, booleans, nulls)', () => {
    const frame = polars.DataFrame({
      id: polars.Series('id', [1, -2, 3], polars.Int64),
      price: [0.5, null, -1.25],
      name: ['a', null, 'ünïcode ✓'],
      flag: [true, false, null],
    });
    const table = assembleForeignStream(frame.writeIPCStream());
    expect(tableToRows(table)).toEqual([
      { id: 1n, price: 0.5, name: 'a', flag: true },
      { id: -2n, price: null, name: null, flag: false },
      { id: 3n, price: -1.25, name: 'ünïcode ✓', flag: null },
    ]);
  });

  it('decodes what flechette writes, including a dictionary column', () => {
    const written = flechette.tableFromArrays(
      {
        id: [-(2n ** 63n), 0n, 2n ** 63n - 1n],
        name: ['x', null, '漢字'],
        tag: ['on', 'off', 'on'],
      },
      {
        types: { id: flechette.int64(), name: flechette.utf8(), tag: flechette.dictionary(flechette.utf8()) },
      },
    );
    const bytes = flechette.tableToIPC(written, { format: 'stream' });
    if (bytes === null) throw new Error('flechette wrote no bytes');
    const table = assembleForeignStream(bytes);
    expect(tableToRows(table)).toEqual([
      { id: -(2n ** 63n), name: 'x', tag: 'on' },
      { id: 0n, name: null, tag: 'off' },
      { id: 2n ** 63n - 1n, name: '漢字', tag: 'on' },
    ]);
  });
});
