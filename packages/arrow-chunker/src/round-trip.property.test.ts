import {
  Binary,
  Bool,
  type DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Null,
  type RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import fc from 'fast-check';
import { atOddOffset } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { ChunkerError } from './errors/chunker-error.js';
import type { IpcChunk } from './ipc-chunk.js';
import { recordBatchToRows, tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

type LeafKind =
  | 'int32'
  | 'int64'
  | 'float64'
  | 'utf8'
  | 'bool'
  | 'timestamp'
  | 'binary'
  | 'dictionary'
  | 'null';
type Spec =
  | { kind: LeafKind }
  | { kind: 'struct'; children: { name: string; spec: Spec; nullable: boolean }[] }
  | { kind: 'list'; element: Spec; nullable: boolean };

const leafKinds: LeafKind[] = [
  'int32',
  'int64',
  'float64',
  'utf8',
  'bool',
  'timestamp',
  'binary',
  'dictionary',
  'null',
];

const specArbitrary: fc.Arbitrary<Spec> = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'spec' },
    fc.constantFrom(...leafKinds).map((kind): Spec => ({ kind })),
    fc.array(fc.record({ spec: tie('spec'), nullable: fc.boolean() }), { minLength: 1, maxLength: 3 }).map(
      (children): Spec => ({
        kind: 'struct',
        children: children.map((child, index) => ({
          name: `c${index}`,
          spec: child.spec,
          nullable: child.nullable || child.spec.kind === 'null',
        })),
      }),
    ),
    fc.record({ element: tie('spec'), nullable: fc.boolean() }).map(
      (list): Spec => ({
        kind: 'list',
        element: list.element,
        nullable: list.nullable || list.element.kind === 'null',
      }),
    ),
  ),
})).spec;

function toArrowType(spec: Spec): DataType {
  switch (spec.kind) {
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'utf8':
      return new Utf8();
    case 'bool':
      return new Bool();
    case 'timestamp':
      return new TimestampMillisecond('UTC');
    case 'binary':
      return new Binary();
    case 'dictionary':
      // The schema is built once per scenario, so all its batches share this id: each batch after the
      // first carries a replacement dictionary.
      return new Dictionary(new Utf8(), new Int32());
    case 'null':
      return new Null();
    case 'struct':
      return new Struct(
        spec.children.map((child) => new Field(child.name, toArrowType(child.spec), child.nullable)),
      );
    case 'list':
      return new List(new Field('item', toArrowType(spec.element), spec.nullable));
  }
}

const int64Extremes = fc.oneof(
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

function valueArbitrary(spec: Spec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'int32':
      return fc.integer();
    case 'int64':
      return int64Extremes;
    case 'float64':
      return fc.double();
    case 'utf8':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bool':
      return fc.boolean();
    case 'timestamp':
      return fc.date({ noInvalidDate: true, min: new Date(-1e14), max: new Date(1e14) });
    case 'binary':
      return fc.uint8Array({ maxLength: 9 });
    case 'dictionary':
      return fc.constantFrom('red', 'grün', '青', '🎉', '');
    case 'null':
      return fc.constant(null);
    case 'struct':
      return fc.record(
        Object.fromEntries(
          spec.children.map((child) => [child.name, withNulls(valueArbitrary(child.spec), child.nullable)]),
        ),
      );
    case 'list':
      return fc.array(withNulls(valueArbitrary(spec.element), spec.nullable), { maxLength: 4 });
  }
}

function withNulls(arbitrary: fc.Arbitrary<unknown>, nullable: boolean): fc.Arbitrary<unknown> {
  return nullable ? fc.option(arbitrary, { nil: null, freq: 4 }) : arbitrary;
}

interface Scenario {
  schema: Schema;
  batchesOfRows: Record<string, unknown>[][];
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .array(fc.record({ spec: specArbitrary, nullable: fc.boolean() }), { minLength: 1, maxLength: 5 })
  .chain((columns) => {
    const fields = columns.map(
      (column, index) =>
        new Field(`col${index}_ñ`, toArrowType(column.spec), column.nullable || column.spec.kind === 'null'),
    );
    const row = fc.record(
      Object.fromEntries(
        columns.map((column, index) => [
          fields[index]!.name,
          withNulls(valueArbitrary(column.spec), fields[index]!.nullable),
        ]),
      ),
    );
    return fc.record({
      schema: fc.constant(new Schema(fields)),
      batchesOfRows: fc.array(fc.array(row, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
    });
  });

const chunkSizeArbitrary = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 }));

type Delivery = 'views' | 'detached' | 'odd-offsets';

function deliver(chunks: IpcChunk[], delivery: Delivery): IpcChunk[] {
  if (delivery === 'views') return chunks;
  return chunks.map((chunk, index) => ({
    data: delivery === 'detached' ? chunk.data.slice() : atOddOffset(chunk.data, 1 + (index % 7)),
    endOfChunk: chunk.endOfChunk,
  }));
}

describe('encode -> chunk -> assemble -> decode (property)', () => {
  it('gives back the same rows for random schemas, values and chunk sizes', () => {
    fc.assert(
      fc.property(
        scenarioArbitrary,
        chunkSizeArbitrary,
        fc.constantFrom<Delivery>('views', 'detached', 'odd-offsets'),
        ({ schema, batchesOfRows }, maxChunkBytes, delivery) => {
          const batches: RecordBatch[] = batchesOfRows.map((rows) => rowsToRecordBatch(rows, { schema }));
          for (const [index, batch] of batches.entries()) {
            expect(recordBatchToRows(batch)).toEqual(batchesOfRows[index]);
          }
          const chunks = [...encodeChunks(batches, { maxChunkBytes })];
          expect(
            chunks.every((chunk) => chunk.data.byteLength >= 1 && chunk.data.byteLength <= maxChunkBytes),
          ).toBe(true);
          expect(chunks.filter((chunk) => chunk.endOfChunk)).toHaveLength(1);
          const assembler = new ChunkAssembler({ channel: 'property' });
          const tables = deliver(chunks, delivery)
            .map((chunk) => assembler.push(chunk))
            .filter((table) => table !== undefined);
          assembler.close();
          expect(tables).toHaveLength(1);
          expect(tables[0]!.schema.fields.map(String)).toEqual(schema.fields.map(String));
          expect(tableToRows(tables[0]!)).toEqual(batchesOfRows.flat());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never crashes on truncated, corrupted or random input: a Table or a ChunkerError', () => {
    fc.assert(
      fc.property(
        scenarioArbitrary,
        fc.oneof(
          fc.record({
            kind: fc.constant('truncate' as const),
            at: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          fc.record({
            kind: fc.constant('flip' as const),
            flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), {
              minLength: 1,
              maxLength: 4,
            }),
          }),
          fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
        ),
        ({ schema, batchesOfRows }, damage) => {
          const batches = batchesOfRows.map((rows) => rowsToRecordBatch(rows, { schema }));
          const stream = Uint8Array.from([...encodeChunks(batches)].flatMap((chunk) => [...chunk.data]));
          let input: Uint8Array;
          if (damage.kind === 'truncate')
            input = stream.slice(0, Math.floor(damage.at * (stream.byteLength - 1)));
          else if (damage.kind === 'random') input = damage.bytes;
          else {
            input = stream.slice();
            for (const [position, mask] of damage.flips) {
              const index = position % input.byteLength;
              input[index] = input[index]! ^ mask;
            }
          }
          try {
            const table = new ChunkAssembler().push({ data: input, endOfChunk: true });
            expect(damage.kind).not.toBe('truncate');
            expect(table).toBeDefined();
          } catch (error) {
            expect(ChunkerError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
