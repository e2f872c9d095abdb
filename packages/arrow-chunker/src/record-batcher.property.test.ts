import { Field, Int32, Schema } from 'apache-arrow';
import fc from 'fast-check';
import { recordBatchToRows } from './record-batch-to-rows.js';
import { RecordBatcher } from './record-batcher.js';

const schema = new Schema([new Field('id', new Int32(), false)]);

describe('RecordBatcher (property)', () => {
  it('delivers every row once, in order, in bounded batches, whatever the pace of both sides', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom('write', 'flush'), { minLength: 1, maxLength: 10 }),
        async (rowCount, maxRows, maxQueuedBatches, consumerPauses, producerSteps) => {
          const batcher = new RecordBatcher({ schema, maxRows, maxQueuedBatches, lingerMs: 0 });
          let maxHeldRows = 0;
          const producer = (async () => {
            for (let id = 0; id < rowCount; id += 1) {
              if (producerSteps[id % producerSteps.length] === 'flush') await batcher.flush();
              await batcher.write({ id });
              maxHeldRows = Math.max(maxHeldRows, batcher.queuedBatches * maxRows + batcher.bufferedRows);
            }
            await batcher.close();
          })();
          const received: number[] = [];
          let batchIndex = 0;
          for await (const batch of batcher) {
            expect(batch.numRows).toBeGreaterThan(0);
            expect(batch.numRows).toBeLessThanOrEqual(maxRows);
            for (const row of recordBatchToRows(batch)) received.push(row.id as number);
            const pause = consumerPauses[batchIndex % consumerPauses.length]!;
            for (let tick = 0; tick < pause; tick += 1) await new Promise((resolve) => setImmediate(resolve));
            batchIndex += 1;
          }
          await producer;
          expect(received).toEqual(Array.from({ length: rowCount }, (_, id) => id));
          expect(maxHeldRows).toBeLessThanOrEqual((maxQueuedBatches + 1) * maxRows);
        },
      ),
      { numRuns: 40 },
    );
  });
});
