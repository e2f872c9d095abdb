import { Field, Int32, type RecordBatch, Schema, Utf8 } from 'apache-arrow';
import { ChunkerClosedError } from './errors/chunker-closed-error.js';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import { ChunkerRowSchemaMismatchError } from './errors/chunker-row-schema-mismatch-error.js';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { recordBatchToRows } from './record-batch-to-rows.js';
import { RecordBatcher } from './record-batcher.js';

const schema = new Schema([new Field('id', new Int32(), false), new Field('name', new Utf8(), true)]);

async function drain(batcher: RecordBatcher): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of batcher) batches.push(batch);
  return batches;
}

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let index = 0; index < 10; index += 1) await Promise.resolve();
}

describe('RecordBatcher', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('emits batches of maxRows and a final partial batch on close', async () => {
    const batcher = new RecordBatcher({ schema, maxRows: 4, lingerMs: 0, maxQueuedBatches: 10 });
    const consumed = drain(batcher);
    for (let id = 0; id < 10; id += 1) await batcher.write({ id, name: `n${id}` });
    await batcher.close();
    const batches = await consumed;
    expect(batches.map((batch) => batch.numRows)).toEqual([4, 4, 2]);
    expect(batches.flatMap((batch) => recordBatchToRows(batch)).map((row) => row.id)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('emits by estimated size (maxBytes)', async () => {
    const batcher = new RecordBatcher({ schema, maxBytes: 100, lingerMs: 0, maxQueuedBatches: 10 });
    for (let id = 0; id < 6; id += 1) await batcher.write({ id, name: 'x'.repeat(40) });
    await batcher.close();
    const batches = await drain(batcher);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((sum, batch) => sum + batch.numRows, 0)).toBe(6);
    expect(Math.max(...batches.map((batch) => batch.numRows))).toBeLessThan(6);
  });

  it('emits a partial batch lingerMs after its first row', async () => {
    jest.useFakeTimers();
    const batcher = new RecordBatcher({ schema, maxRows: 100, lingerMs: 500 });
    await batcher.write({ id: 1, name: null });
    jest.advanceTimersByTime(499);
    expect(batcher.queuedBatches).toBe(0);
    await batcher.write({ id: 2, name: null });
    jest.advanceTimersByTime(1);
    expect(batcher.queuedBatches).toBe(1);
    expect(batcher.bufferedRows).toBe(0);
    const iterator = batcher[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect((first.value as RecordBatch).numRows).toBe(2);
    await batcher.close();
  });

  it('applies backpressure: write waits while the queue is full and the current batch is full', async () => {
    const batcher = new RecordBatcher({ schema, maxRows: 2, maxQueuedBatches: 1, lingerMs: 0 });
    await batcher.write({ id: 1, name: null });
    await batcher.write({ id: 2, name: null }); // batch 1 queued
    await batcher.write({ id: 3, name: null });
    await batcher.write({ id: 4, name: null }); // batch 2 full, queue full
    let fifthDone = false;
    const fifth = batcher.write({ id: 5, name: null }).then(() => {
      fifthDone = true;
    });
    let sixthDone = false;
    const sixth = batcher.write({ id: 6, name: null }).then(() => {
      sixthDone = true;
    });
    await settle();
    expect(fifthDone).toBe(false);
    expect(batcher.queuedBatches).toBe(1);
    expect(batcher.bufferedRows).toBe(2);
    const iterator = batcher[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(recordBatchToRows(first.value as RecordBatch).map((row) => row.id)).toEqual([1, 2]);
    await fifth;
    await sixth;
    expect(fifthDone && sixthDone).toBe(true);
    const closing = batcher.close();
    const rest: number[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      rest.push(...recordBatchToRows(next.value).map((row) => row.id as number));
    }
    await closing;
    expect(rest).toEqual([3, 4, 5, 6]);
  });

  it('never holds more than maxQueuedBatches plus one batch while a slow consumer reads', async () => {
    const batcher = new RecordBatcher({ schema, maxRows: 10, maxQueuedBatches: 2, lingerMs: 0 });
    let maxHeld = 0;
    const producer = (async () => {
      for (let id = 0; id < 500; id += 1) {
        await batcher.write({ id, name: 'row' });
        maxHeld = Math.max(maxHeld, batcher.queuedBatches * 10 + batcher.bufferedRows);
      }
      await batcher.close();
    })();
    let total = 0;
    for await (const batch of batcher) {
      total += batch.numRows;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await producer;
    expect(total).toBe(500);
    expect(maxHeld).toBeLessThanOrEqual(30);
  });

  it('flush emits the rows written so far', async () => {
    const batcher = new RecordBatcher({ schema, maxRows: 100, lingerMs: 0 });
    await batcher.write({ id: 1, name: 'a' });
    await batcher.flush();
    expect(batcher.queuedBatches).toBe(1);
    await batcher.flush();
    expect(batcher.queuedBatches).toBe(1);
    await batcher.close();
  });

  it('rejects a row that does not fit the schema without affecting other rows', async () => {
    const batcher = new RecordBatcher({ schema, lingerMs: 0 });
    await batcher.write({ id: 1, name: 'ok' });
    const rejection = batcher.write({ id: 'two', name: 'bad' } as Record<string, unknown>);
    await expect(rejection).rejects.toBeInstanceOf(ChunkerRowSchemaMismatchError);
    await rejection.catch((error: ChunkerRowSchemaMismatchError) => {
      expect(error.rowIndex).toBe(1);
      expect(error.fieldPath).toBe('id');
    });
    await batcher.write({ id: 3, name: 'ok' });
    await batcher.close();
    const rows = (await drain(batcher)).flatMap((batch) => recordBatchToRows(batch));
    expect(rows.map((row) => row.id)).toEqual([1, 3]);
  });

  it('infers each batch schema when no schema is given', async () => {
    const batcher = new RecordBatcher({ maxRows: 2, lingerMs: 0, maxQueuedBatches: 5 });
    await batcher.write({ a: 1, b: 'x' });
    await batcher.write({ a: 2, b: null });
    await batcher.write({ a: 3, c: true });
    await batcher.close();
    const batches = await drain(batcher);
    expect(batches.map((batch) => batch.schema.fields.map(String))).toEqual([
      ['a: Float64', 'b: Utf8'],
      ['a: Float64', 'c: Bool'],
    ]);
  });

  it('rejects a non-object row at once when inferring, without failing the batcher', async () => {
    const batcher = new RecordBatcher({ lingerMs: 0 });
    await expect(batcher.write([1, 2] as unknown as Record<string, unknown>)).rejects.toBeInstanceOf(
      ChunkerUnsupportedTypeError,
    );
    await batcher.write({ a: 1 });
    await batcher.close();
    expect((await drain(batcher)).map((batch) => batch.numRows)).toEqual([1]);
  });

  it('fails every later call and the consumer when inference fails', async () => {
    const batcher = new RecordBatcher({ maxRows: 2, lingerMs: 0 });
    await batcher.write({ a: 1 });
    await expect(batcher.write({ a: 'x' })).rejects.toBeInstanceOf(ChunkerUnsupportedTypeError);
    await expect(batcher.write({ a: 2 })).rejects.toBeInstanceOf(ChunkerUnsupportedTypeError);
    await expect(batcher.close()).rejects.toBeInstanceOf(ChunkerUnsupportedTypeError);
    await expect(drain(batcher)).rejects.toBeInstanceOf(ChunkerUnsupportedTypeError);
  });

  it('rejects writes after close and after the consumer stops', async () => {
    const closedBatcher = new RecordBatcher({ schema });
    await closedBatcher.close();
    await expect(closedBatcher.write({ id: 1, name: null })).rejects.toBeInstanceOf(ChunkerClosedError);
    expect(await drain(closedBatcher)).toEqual([]);

    const abandoned = new RecordBatcher({ schema, maxRows: 1, lingerMs: 0 });
    await abandoned.write({ id: 1, name: null });
    for await (const _batch of abandoned) break;
    await expect(abandoned.write({ id: 2, name: null })).rejects.toBeInstanceOf(ChunkerClosedError);
  });

  it('validates its options', () => {
    for (const options of [{ maxRows: 0 }, { maxBytes: -1 }, { lingerMs: 1.5 }, { maxQueuedBatches: 0 }]) {
      expect(() => new RecordBatcher(options)).toThrow(ChunkerConfigError);
    }
  });
});
