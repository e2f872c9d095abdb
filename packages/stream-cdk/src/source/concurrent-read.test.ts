import { ListSource, PagedStream } from '../__fixtures__/sample-streams';
import { ReadOptionsError } from '../errors/read-options-error';
import { SyncFailedError } from '../errors/sync-failed-error';
import type { AirbyteMessage, JsonObject } from '../protocol/airbyte-protocol';
import { type ReadRecordsArgs, type RecordSource, Stream } from '../stream/stream';
import { configuredCatalog } from '../testing/configured-catalog';
import { assertValidMessages } from '../testing/protocol-validation';
import { readSource } from '../testing/read-source';

/** Counts how many of these streams are inside `readRecords` at once. */
class Gauge {
  active = 0;
  max = 0;
}

/**
 * Yields `count` records; before its second record it waits for `waitFor` to have yielded one, so
 * read one after the other (first this stream, then `waitFor`) it would never finish.
 */
class GatedStream extends Stream {
  private firstYielded!: () => void;
  readonly yieldedOne = new Promise<void>((resolve) => {
    this.firstYielded = resolve;
  });
  waitFor: GatedStream | undefined;
  constructor(
    readonly name: string,
    private readonly gauge: Gauge,
    private readonly count = 3,
    private readonly failAt?: number,
  ) {
    super();
  }
  getJsonSchema(): JsonObject {
    return { type: 'object' };
  }
  async *readRecords(args: ReadRecordsArgs): RecordSource {
    this.gauge.active++;
    this.gauge.max = Math.max(this.gauge.max, this.gauge.active);
    try {
      for (let n = 1; n <= this.count; n++) {
        if (n === this.failAt) throw new Error(`${this.name} failed at ${n}`);
        if (n === 2 && this.waitFor !== undefined) await this.waitFor.yieldedOne;
        args.logger.info(`${this.name} record ${n}`);
        yield { stream: this.name, n };
        if (n === 1) this.firstYielded();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.gauge.active--;
    }
  }
}

/** The messages of one stream (records, states, statuses, errors, logs naming it), in order. */
function ofStream(messages: AirbyteMessage[], name: string): string[] {
  return messages.flatMap((message) => {
    const text = JSON.stringify(message).replace(/"emitted_at":\d+/g, '"emitted_at":0');
    if (message.type === 'RECORD') return message.record.stream === name ? [text] : [];
    if (message.type === 'STATE') return message.state.stream?.stream_descriptor.name === name ? [text] : [];
    if (message.type === 'LOG') return message.log.message.startsWith(`${name} `) ? [text] : [];
    return text.includes(`"name":"${name}"`) ? [text] : [];
  });
}

describe('Source.read with maxConcurrentStreams', () => {
  it('reads streams at the same time, each stream\u2019s messages in order, at most N at once', async () => {
    const gauge = new Gauge();
    const a = new GatedStream('a', gauge);
    const b = new GatedStream('b', gauge);
    const c = new GatedStream('c', gauge);
    a.waitFor = b; // a cannot finish before b has started: proof that they run together
    const streams = [a, b, c];
    const result = await readSource({
      source: new ListSource(streams),
      config: {},
      catalog: configuredCatalog(streams),
      options: { maxConcurrentStreams: 2 },
    });
    expect(result.error).toBeUndefined();
    assertValidMessages(result.messages);
    expect(gauge.max).toBe(2);
    for (const name of ['a', 'b', 'c']) {
      expect(result.statuses(name)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(result.records(name)).toEqual([1, 2, 3].map((n) => ({ stream: name, n })));
      expect(result.states(name)).toEqual([{ __ab_no_cursor_state_message: true }]);
    }
    // Interleaved (per batch: a batch ends at a slice end): b started before a completed.
    const statuses = result.messages.flatMap((m) =>
      m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS'
        ? [`${m.trace.stream_status.stream_descriptor.name}:${m.trace.stream_status.status}`]
        : [],
    );
    expect(statuses.indexOf('b:STARTED')).toBeLessThan(statuses.indexOf('a:COMPLETE'));

    // Each stream's own sequence is exactly what a one-by-one read gives (a no longer waits for b there).
    const gauge2 = new Gauge();
    const sequential = [
      new GatedStream('a', gauge2),
      new GatedStream('b', gauge2),
      new GatedStream('c', gauge2),
    ];
    const one = await readSource({
      source: new ListSource(sequential),
      config: {},
      catalog: configuredCatalog(sequential),
    });
    expect(gauge2.max).toBe(1);
    for (const name of ['a', 'b', 'c'])
      expect(ofStream(result.messages, name)).toEqual(ofStream(one.messages, name));
  });

  it('keeps per-stream STATE order for resumable streams and resumes from the merged state', async () => {
    const pages = () => [new PagedStream('p', 3), new PagedStream('q', 2)];
    const streams = pages();
    const result = await readSource({
      source: new ListSource(streams),
      config: {},
      catalog: configuredCatalog(streams),
      options: { maxConcurrentStreams: 2 },
    });
    const T = { __ab_full_refresh_sync_complete: true };
    expect(result.states('p')).toEqual([{ page: 2 }, { page: 3 }, T]);
    expect(result.states('q')).toEqual([{ page: 2 }, T]);
    expect(result.stateForNextRun()).toHaveLength(2);
  });

  it('a failing stream does not stop the others; the read fails listing it', async () => {
    const gauge = new Gauge();
    const streams = [
      new GatedStream('a', gauge, 3, 2),
      new GatedStream('b', gauge),
      new GatedStream('c', gauge),
    ];
    const result = await readSource({
      source: new ListSource(streams),
      config: {},
      catalog: configuredCatalog(streams),
      options: { maxConcurrentStreams: 3 },
    });
    expect(SyncFailedError.isInstance(result.error)).toBe(true);
    expect((result.error as SyncFailedError).failedStreams).toEqual(['a']);
    expect(result.statuses('a')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(result.statuses('b')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.statuses('c')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  });

  it('with stopSyncOnStreamFailure, starts no stream after a failure but lets running ones finish', async () => {
    const gauge = new Gauge();
    const streams = [
      new GatedStream('a', gauge, 3, 1),
      new GatedStream('b', gauge),
      new GatedStream('c', gauge),
    ];
    const result = await readSource({
      source: new ListSource(streams),
      config: {},
      catalog: configuredCatalog(streams),
      options: { maxConcurrentStreams: 2, stopSyncOnStreamFailure: true },
    });
    expect((result.error as SyncFailedError).failedStreams).toEqual(['a']);
    expect(result.statuses('b')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.statuses('c')).toEqual([]);
  });

  it.each([0, 1.5, Number.NaN])('rejects maxConcurrentStreams %p with a ReadOptionsError', async (value) => {
    const streams = [new PagedStream('p', 1)];
    const result = await readSource({
      source: new ListSource(streams),
      config: {},
      catalog: configuredCatalog(streams),
      options: { maxConcurrentStreams: value },
    });
    expect(ReadOptionsError.isInstance(result.error)).toBe(true);
    expect((result.error as ReadOptionsError).code).toBe('CDK_OPTION_INVALID');
    expect(result.messages).toEqual([]);
  });
});
