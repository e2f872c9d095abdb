import type { DataRecord } from '../data-source';
import { ConfigError } from '../errors/config-error';
import { InvalidRecordError } from '../errors/invalid-record-error';
import { SendFailedError } from '../errors/send-failed-error';
import { WriterClosedError } from '../errors/writer-closed-error';
import { PanoplyWriter } from './panoply-writer';
import type { Sink } from './sink';
import type { WriterBatch } from './writer-batch';

/** A sink keeping batches in memory; `failures` makes the next N sends reject. */
class MemorySink implements Sink {
  batches: WriterBatch[] = [];
  attempts = 0;
  failures = 0;
  closed = false;
  encodeRecord(record: DataRecord): string {
    return `${JSON.stringify(record)}\n`;
  }
  async sendBatch(batch: WriterBatch): Promise<string> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('sink unavailable');
    }
    this.batches.push(batch);
    return 'ok';
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function records(sink: MemorySink): DataRecord[] {
  return sink.batches.flatMap((batch) => [...batch.records]);
}

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('PanoplyWriter.write', () => {
  it('buffers a copy with __table set, leaving the caller object untouched', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const original = { id: 1, __table: 'old', name: 'a' };
    await writer.write('users', original);
    await writer.flush();
    expect(original.__table).toBe('old');
    expect(records(sink)).toEqual([{ id: 1, __table: 'users', name: 'a' }]);
    // An existing __table keeps its key position, as a Python dict does.
    expect(Object.keys(records(sink)[0] ?? {})).toEqual(['id', '__table', 'name']);
    expect(sink.batches[0]?.body).toBe('{"id":1,"__table":"users","name":"a"}\n');
  });

  it('rejects bad records and bad options with typed errors', async () => {
    const writer = new PanoplyWriter({ sink: new MemorySink() });
    await expect(writer.write('t', null as unknown as DataRecord)).rejects.toThrow(InvalidRecordError);
    await expect(writer.write('t', [] as unknown as DataRecord)).rejects.toThrow(InvalidRecordError);
    await expect(writer.write('', {})).rejects.toThrow(InvalidRecordError);
    await expect(writer.write('t', { big: 1n })).rejects.toMatchObject({ code: 'DATASOURCE_INVALID_RECORD' });
    expect(() => new PanoplyWriter({ sink: new MemorySink(), maxBatchChars: 0 })).toThrow(ConfigError);
    expect(
      () => new PanoplyWriter({ sink: new MemorySink(), maxBatchChars: 10, maxBufferedChars: 5 }),
    ).toThrow(ConfigError);
    expect(() => new PanoplyWriter({ sink: {} as Sink })).toThrow(ConfigError);
    expect(() => new PanoplyWriter({ sink: new MemorySink(), maxConcurrentSends: 0 })).toThrow(ConfigError);
  });
});

describe('PanoplyWriter batching', () => {
  it('sends a lone record flushIntervalMs after it was written, and never an empty body', async () => {
    jest.useFakeTimers();
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink, flushIntervalMs: 2000 });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sink.attempts).toBe(0);
    await writer.write('t', { a: 1 });
    await writer.write('t', { a: 2 });
    await jest.advanceTimersByTimeAsync(1999);
    expect(sink.attempts).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]?.records).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sink.attempts).toBe(1);
    await writer.flush();
    expect(sink.attempts).toBe(1);
  });

  it('seals a batch once it passes 256,000 characters, exceeding it by at most one record', async () => {
    jest.useFakeTimers();
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const encodedLength = sink.encodeRecord({ v: 'x'.repeat(977), __table: 't' }).length;
    expect(encodedLength).toBe(1000);
    for (let index = 0; index < 256; index++) await writer.write('t', { v: 'x'.repeat(977) });
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.attempts).toBe(0); // exactly 256,000 is not "more than"
    await writer.write('t', { v: 'x'.repeat(977) });
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.batches).toHaveLength(1);
    const body = sink.batches[0]?.body ?? '';
    expect(body.length).toBe(257_000);
    expect(body.length - encodedLength).toBeLessThanOrEqual(256_000);
  });

  it('honours maxBatchChars', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink, maxBatchChars: 50 });
    for (let index = 0; index < 10; index++) await writer.write('t', { index });
    await writer.flush();
    for (const batch of sink.batches.slice(0, -1)) {
      const lastLength = sink.encodeRecord(batch.records[batch.records.length - 1] ?? {}).length;
      expect(batch.body.length).toBeGreaterThan(50);
      expect(batch.body.length - lastLength).toBeLessThanOrEqual(50);
    }
    expect(records(sink).map((record) => record.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('PanoplyWriter events and retries', () => {
  it('fires send before and flush after success, wildcard first', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const seen: string[] = [];
    writer.on('*', (name) => seen.push(`*${name}`)).on('send', () => seen.push('send'));
    writer.on('flush', ({ response }) => seen.push(`flush:${String(response)}`));
    await writer.write('t', { a: 1 });
    await writer.flush();
    expect(seen).toEqual(['*send', 'send', '*flush', 'flush:ok']);
  });

  it('retries a failed batch with exponential backoff', async () => {
    jest.useFakeTimers();
    // The largest draw of the full jitter: each delay is its ceiling (100 ms, then 200 ms).
    const random = jest.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    const sink = new MemorySink();
    sink.failures = 2;
    const writer = new PanoplyWriter({ sink, retryBaseDelayMs: 100 });
    const delays: number[] = [];
    const names: string[] = [];
    writer.on('retry', ({ delayMs }) => delays.push(delayMs)).on('*', (name) => names.push(name));
    await writer.write('t', { a: 1 });
    const flushed = writer.flush();
    await jest.advanceTimersByTimeAsync(99);
    expect(sink.attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sink.attempts).toBe(2);
    await jest.advanceTimersByTimeAsync(200);
    const result = await flushed;
    expect(sink.attempts).toBe(3);
    expect(delays).toEqual([100, 200]);
    expect(names).toEqual(['send', 'retry', 'send', 'retry', 'send', 'flush']);
    expect(result.failedBatches).toEqual([]);
    expect(result.sentRecordCount).toBe(1);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('hands a batch that fails every attempt to the error event and keeps it', async () => {
    jest.useFakeTimers();
    const sink = new MemorySink();
    sink.failures = 100;
    const writer = new PanoplyWriter({ sink, maxSendAttempts: 4, retryBaseDelayMs: 10 });
    const errors: SendFailedError[] = [];
    writer.on('error', (error) => errors.push(error));
    await writer.write('t', { a: 1 });
    await writer.write('t', { a: 2 });
    const flushed = writer.flush();
    await jest.advanceTimersByTimeAsync(1000);
    const result = await flushed;
    expect(sink.attempts).toBe(4);
    expect(errors).toHaveLength(1);
    expect(SendFailedError.isInstance(errors[0])).toBe(true);
    expect(errors[0]?.attempts).toBe(4);
    expect(errors[0]?.batch.records.map((record) => record.a)).toEqual([1, 2]);
    expect(result.failedBatches).toHaveLength(1);
    expect(writer.takeFailedBatches()[0]?.records).toHaveLength(2);
    expect(writer.failedBatches).toHaveLength(0);
  });

  it('survives a throwing event handler without losing the batch', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
    writer.on('send', () => {
      throw new Error('handler bug');
    });
    await writer.write('t', { a: 1 });
    await writer.flush();
    consoleError.mockRestore();
    expect(records(sink)).toHaveLength(1);
  });
});

describe('PanoplyWriter concurrency', () => {
  it.each([
    [1, 1],
    [2, undefined],
    [3, 3],
  ])(
    'keeps at most %i batch(es) in flight (maxConcurrentSends %s)',
    async (expectedPeak, maxConcurrentSends) => {
      let inFlight = 0;
      let peak = 0;
      const delivered: unknown[] = [];
      const sink: Sink = {
        encodeRecord: (record) => `${JSON.stringify(record)}\n`,
        sendBatch: async (batch) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          delivered.push(...batch.records.map((record) => record.i));
        },
      };
      const writer = new PanoplyWriter({
        sink,
        maxBatchChars: 20,
        maxBufferedChars: 1000,
        maxConcurrentSends,
      });
      for (let i = 0; i < 20; i++) await writer.write('t', { i });
      const result = await writer.flush();
      expect(peak).toBe(expectedPeak);
      expect(result.sentRecordCount).toBe(20);
      expect([...delivered].sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
    },
  );

  it('delivers batches in order with maxConcurrentSends 1', async () => {
    const sequences: number[] = [];
    const sink: Sink = {
      encodeRecord: (record) => `${JSON.stringify(record)}\n`,
      sendBatch: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 10 - batch.sequence));
        sequences.push(batch.sequence);
      },
    };
    const writer = new PanoplyWriter({ sink, maxBatchChars: 20, maxConcurrentSends: 1 });
    for (let i = 0; i < 10; i++) await writer.write('t', { i });
    await writer.flush();
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(sequences.length).toBeGreaterThan(3);
  });
});

describe('PanoplyWriter backpressure and close', () => {
  it('makes write() wait while the sink is slow, keeping the buffer bounded', async () => {
    const releases: Array<() => void> = [];
    let peakBuffered = 0;
    let delivered = 0;
    const sink: Sink = {
      encodeRecord: (record) => `${JSON.stringify(record)}\n`,
      sendBatch: (batch) =>
        new Promise((resolve) => {
          releases.push(() => {
            delivered += batch.records.length;
            resolve(undefined);
          });
        }),
    };
    const writer = new PanoplyWriter({ sink, maxBatchChars: 100, maxBufferedChars: 300 });
    const recordLength = sink.encodeRecord({ i: 100, pad: 'x'.repeat(20), __table: 't' }).length;
    let produced = 0;
    const producer = (async () => {
      for (let index = 100; index < 200; index++) {
        await writer.write('t', { i: index, pad: 'x'.repeat(20) });
        produced++;
        peakBuffered = Math.max(peakBuffered, writer.bufferedChars);
      }
    })();
    for (let round = 0; round < 1000 && produced < 100; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      // The producer can never run far ahead of the sink.
      expect(produced - delivered).toBeLessThanOrEqual(Math.ceil(300 / recordLength) + 1);
      releases.shift()?.();
    }
    await producer;
    const flushing = writer.flush();
    while (delivered < 100) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await flushing;
    expect(peakBuffered).toBeLessThanOrEqual(300 + recordLength);
    expect(delivered).toBe(100);
  });

  it('close() flushes, closes the sink, and later writes reject', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    await writer.write('t', { a: 1 });
    const result = await writer.close();
    expect(result.sentRecordCount).toBe(1);
    expect(sink.closed).toBe(true);
    await expect(writer.write('t', { a: 2 })).rejects.toThrow(WriterClosedError);
    await expect(writer.close()).resolves.toBe(result);
  });
});

describe('PanoplyWriter timers', () => {
  it('does not keep the process alive with its flush timer', async () => {
    const countTimers = (): number =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = countTimers();
    const writer = new PanoplyWriter({ sink: new MemorySink(), flushIntervalMs: 60_000 });
    await writer.write('t', { a: 1 });
    expect(countTimers()).toBe(before);
    await writer.close();
  });
});

describe('PanoplyWriter.writeBatch', () => {
  const group = (count: number) =>
    Array.from({ length: count }, (_, id) => ({
      id,
      pad: 'x'.repeat(20),
      __table: 'orders',
      __state: `s${id}`,
    }));

  it('cuts the same batches with the same ids for the same records, whatever the state ids', async () => {
    const runs: WriterBatch[][] = [];
    for (const stateSuffix of ['', '-replayed-with-another-id']) {
      const sink = new MemorySink();
      const writer = new PanoplyWriter({ sink, maxBatchChars: 100 });
      await writer.write('other', { before: true }); // sealed apart, never mixed into the group
      const records = group(7).map((record) => ({ ...record, __state: `${record.__state}${stateSuffix}` }));
      await writer.writeBatch(records, { deduplicationIdPrefix: 'run-a.3' });
      await writer.close();
      runs.push(sink.batches.slice(1));
      expect(sink.batches[0]?.records).toEqual([{ before: true, __table: 'other' }]);
    }
    const [first, second] = runs as [WriterBatch[], WriterBatch[]];
    expect(first.length).toBeGreaterThan(1);
    expect(first.map((batch) => batch.records.length)).toEqual(second.map((batch) => batch.records.length));
    expect(first.map((batch) => batch.deduplicationId)).toEqual(second.map((batch) => batch.deduplicationId));
    let next = 0;
    for (const batch of first) {
      expect(batch.deduplicationId).toMatch(
        new RegExp(`^run-a\\.3\\.${next}\\+${batch.records.length}\\.[0-9a-f]{16}$`),
      );
      next += batch.records.length;
    }
    expect(next).toBe(7);
  });

  it('gives other records at the same place another id', async () => {
    const ids: string[] = [];
    for (const pad of ['a', 'b']) {
      const sink = new MemorySink();
      const writer = new PanoplyWriter({ sink });
      await writer.writeBatch([{ id: 1, pad, __table: 't' }], { deduplicationIdPrefix: 'r.1' });
      await writer.close();
      ids.push(sink.batches[0]?.deduplicationId as string);
    }
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('buffers nothing when one record of the group cannot be encoded', async () => {
    const sink = new MemorySink();
    const writer = new PanoplyWriter({ sink });
    const cyclic: DataRecord = { id: 2, __table: 't' };
    cyclic.self = cyclic;
    await expect(
      writer.writeBatch([{ id: 1, __table: 't' }, cyclic], { deduplicationIdPrefix: 'r.1' }),
    ).rejects.toMatchObject({ code: 'DATASOURCE_INVALID_RECORD' });
    await expect(writer.writeBatch([{ id: 1 }], { deduplicationIdPrefix: 'r.1' })).rejects.toThrow(
      InvalidRecordError,
    );
    await expect(writer.writeBatch([], { deduplicationIdPrefix: 'bad prefix!' })).rejects.toThrow(
      ConfigError,
    );
    expect(writer.pendingRecordCount).toBe(0);
    await writer.close();
    expect(sink.batches).toEqual([]);
  });

  it('counts pending records until they are delivered or failed', async () => {
    const sink = new MemorySink();
    sink.failures = 1;
    const writer = new PanoplyWriter({ sink, maxSendAttempts: 1 });
    await writer.write('t', { id: 1 });
    await writer.writeBatch(group(3), { deduplicationIdPrefix: 'r.1' });
    expect(writer.pendingRecordCount).toBe(4);
    await writer.flush();
    expect(writer.pendingRecordCount).toBe(0);
    expect(writer.failedBatches).toHaveLength(1);
    await writer.close();
  });
});
