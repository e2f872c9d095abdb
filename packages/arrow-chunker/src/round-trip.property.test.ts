import type { RecordBatch } from 'apache-arrow';
import fc from 'fast-check';
import { scenarioArbitrary } from './__fixtures__/arbitrary-batches.js';
import { atOddOffset } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { encodeChunks } from './encode-chunks.js';
import { ChunkerError } from './errors/chunker-error.js';
import type { IpcChunk } from './ipc-chunk.js';
import { recordBatchToRows, tableToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

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
