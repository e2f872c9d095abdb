import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataRecord, DataSource, type ReadResult } from '../data-source';
import { ReadFailedError } from '../errors/read-failed-error';
import { SendFailedError } from '../errors/send-failed-error';
import type { Sink } from '../writer/sink';
import type { WriterBatch } from '../writer/writer-batch';
import { runDataSource } from './run-data-source';
import { loadStateFile } from './state-file';

/** What happened, in order: `read:<n>` when a read starts, `sent:<n>`, `close`. */
let events: string[];
let failReadAt: number | undefined;
let readInFlight = false;

class Batches extends DataSource {
  #next = 0;

  async read(): Promise<ReadResult> {
    if (readInFlight) throw new Error('two reads at once');
    readInFlight = true;
    const index = this.#next;
    events.push(`read:${index}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (index === failReadAt) throw new Error(`read ${index} failed`);
      if (index === 3) return null;
      this.#next += 1;
      this.state(`s${index}`, { next: index + 1 });
      return [{ id: index, __state: `s${index}` }] as DataRecord[];
    } finally {
      readInFlight = false;
    }
  }

  override close(): void {
    if (readInFlight) events.push('close during a read');
    events.push('close');
  }
}

const batchesModule = { Stream: Batches, CONFIG: { title: 'Batches', params: [] } };

/** A sink whose sends take a while (so a read-ahead has time to start) and may fail. */
function slowSink(failSendOf?: number): Sink {
  return {
    encodeRecord: (record) => `${JSON.stringify(record)}\n`,
    async sendBatch(batch: WriterBatch) {
      const id = (batch.records[0] as { id: number }).id;
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (id === failSendOf) throw Object.assign(new Error('the output is gone'), { retryable: false });
      events.push(`sent:${id}`);
    },
  };
}

let work: string;
beforeEach(async () => {
  events = [];
  failReadAt = undefined;
  work = await mkdtemp(join(tmpdir(), 'read-ahead-'));
});
afterEach(() => rm(work, { recursive: true, force: true }));

const run = (sink: Sink, readAhead?: boolean) =>
  runDataSource({
    module: batchesModule,
    params: {},
    sink,
    stateFilePath: join(work, 'state.json'),
    progress: 'none',
    maxReadAttempts: 1,
    maxSendAttempts: 1,
    ...(readAhead === undefined ? {} : { readAhead }),
  });

describe('read-ahead in the runner', () => {
  it('reads the next batch while the previous one is sent, one read at a time', async () => {
    const summary = await run(slowSink());
    expect(summary.recordCount).toBe(3);
    expect(summary.state).toEqual({ next: 3 });
    // Each read after the first starts before the batch before it is sent.
    expect(events).toEqual(['read:0', 'read:1', 'sent:0', 'read:2', 'sent:1', 'read:3', 'sent:2', 'close']);
  });

  it('reads only after the previous batch is committed when readAhead is false', async () => {
    await run(slowSink(), false);
    expect(events).toEqual(['read:0', 'sent:0', 'read:1', 'sent:1', 'read:2', 'sent:2', 'read:3', 'close']);
  });

  it('commits the batch in hand before a failed read-ahead ends the run', async () => {
    failReadAt = 2;
    const failure = await run(slowSink()).catch((error: unknown) => error);
    expect(ReadFailedError.isInstance(failure)).toBe(true);
    expect(events).toContain('sent:1');
    expect(await loadStateFile(join(work, 'state.json'))).toEqual({ next: 2 });
  });

  it('ends on a failed send without saving state past it, closing the source only after the read in flight', async () => {
    const failure = await run(slowSink(1)).catch((error: unknown) => error);
    expect(SendFailedError.isInstance(failure)).toBe(true);
    expect(await loadStateFile(join(work, 'state.json'))).toEqual({ next: 1 });
    expect(events).not.toContain('close during a read');
    expect(events.at(-1)).toBe('close');
    expect(events).toContain('read:2');
  });
});
