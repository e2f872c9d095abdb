import { randomUUID } from 'node:crypto';
import type { DataRecord } from '../data-source';
import { ConfigError } from '../errors/config-error';
import { InvalidRecordError } from '../errors/invalid-record-error';
import { SendFailedError } from '../errors/send-failed-error';
import { WriterClosedError } from '../errors/writer-closed-error';
import { EventEmitter } from '../event-emitter';
import { deduplicationId } from '../internal/deduplication-id';
import { type ExitGuarded, guardPendingRecords, releasePendingRecords } from '../internal/exit-guard';
import { toInvalidRecordError } from '../internal/invalid-record';
import { sleepMs } from '../internal/sleep-ms';
import { backoffDelayMs } from '../retry/backoff';
import { createPanoplyHttpSink, type PanoplyHttpSinkOptions } from './panoply-http-sink';
import type { Sink } from './sink';
import type { WriterBatch } from './writer-batch';

/** Events of a {@link PanoplyWriter}. */
export interface WriterEvents {
  /** Before every send attempt. */
  send: { readonly batch: WriterBatch; readonly attempt: number };
  /** After a batch was accepted by the sink; `response` is what `sendBatch` resolved with. */
  flush: { readonly batch: WriterBatch; readonly response: unknown };
  /** After a failed attempt that will be retried in `delayMs`. */
  retry: {
    readonly batch: WriterBatch;
    readonly attempt: number;
    readonly error: unknown;
    readonly delayMs: number;
  };
  /** A batch failed every attempt; it is also kept in `failedBatches`. */
  error: SendFailedError;
}

/** Options of {@link PanoplyWriter}. */
export interface PanoplyWriterOptions {
  /** Where batches go, e.g. `createPanoplyHttpSink(...)` or `createJsonLinesFileSink(...)`. */
  sink: Sink;
  /**
   * A batch is sealed as soon as its encoded body is longer than this many characters (checked after
   * appending, so a batch may exceed it by one record). Defaults to 256 000, as Panoply.
   */
  maxBatchChars?: number;
  /** A buffered record is sent at most this many milliseconds after it was written. Defaults to 2000. */
  flushIntervalMs?: number;
  /**
   * When more encoded characters than this are buffered or in flight, `write()` resolves only once
   * the sink has caught up. Defaults to 4 x `maxBatchChars`; must be at least `maxBatchChars`.
   */
  maxBufferedChars?: number;
  /**
   * Batches sent at the same time. Defaults to 2, so the next batch travels while the endpoint
   * processes the previous one; batches may then complete out of order (records within a batch keep
   * their order). Use 1 for strictly ordered delivery, as the Python SDK's single thread does.
   */
  maxConcurrentSends?: number;
  /** Attempts per batch, the first included. Defaults to 4 (1 + 3 retries). */
  maxSendAttempts?: number;
  /**
   * Ceiling of the delay before the first retry, doubled for each next one; each delay is drawn from
   * [0, ceiling] (full jitter, see {@link backoffDelayMs}). Defaults to 500 ms.
   */
  retryBaseDelayMs?: number;
  /** Cap of that ceiling. Defaults to 10 000 ms. */
  maxRetryDelayMs?: number;
  /**
   * What happens when the process runs out of work (Node's `beforeExit`) while records written to
   * this writer are not delivered yet, because neither `flush()` nor `close()` was awaited. `true`
   * (default): a `DatasourceWarning` (code `SDK_DATASOURCE_UNFLUSHED`) is emitted and the records are
   * flushed before the process exits. `false`: the warning only, and the records are dropped (the
   * Python SDK drops them silently). On `process.exit()` nothing can be sent any more: the count of
   * lost records is printed to stderr either way.
   */
  flushOnExit?: boolean;
}

/** Options of {@link PanoplyWriter.writeBatch}. */
export interface WriteBatchOptions {
  /**
   * Names the group's position (e.g. the run id and the batch's ordinal): every batch cut from the
   * group gets `<prefix>.<first record index>+<count>.<digest>` as `deduplicationId`. At most 80
   * characters of `[A-Za-z0-9.+-]`.
   */
  deduplicationIdPrefix: string;
}

/** What `flush()` and `close()` resolve with. */
export interface WriterFlushResult {
  /** Every batch that failed all its attempts so far and was not taken with `takeFailedBatches()`. */
  readonly failedBatches: readonly WriterBatch[];
  /** Batches and records the sink accepted since the writer was created. */
  readonly sentBatchCount: number;
  readonly sentRecordCount: number;
}

// One shared settled promise: write() returns it whenever there is room, which is nearly always.
const RESOLVED: Promise<void> = Promise.resolve();

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number`);
  return value;
}

/**
 * The streaming writer (Panoply's `SDK`): `write(table, record)` buffers a copy of the record with
 * `__table` set; batches go to the sink when they pass `maxBatchChars` or `flushIntervalMs` after
 * their first record, up to `maxConcurrentSends` at a time, with retries; a batch that fails every
 * attempt goes to the `error` event and `failedBatches`. Timers never keep the process alive,
 * but a pending `flush()`/`close()` or a waiting `write()` does, so awaiting them loses nothing.
 */
export class PanoplyWriter extends EventEmitter<WriterEvents> implements ExitGuarded {
  readonly #sink: Sink;
  readonly #maxBatchChars: number;
  readonly #flushIntervalMs: number;
  readonly #maxBufferedChars: number;
  readonly #maxSendAttempts: number;
  readonly #maxConcurrentSends: number;
  readonly #retryBaseDelayMs: number;
  readonly #maxRetryDelayMs: number;

  #openParts: string[] = [];
  #openRecords: DataRecord[] = [];
  #openChars = 0;
  #sealed: WriterBatch[] = [];
  #bufferedChars = 0;
  #nextSequence = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #capacityWaiters: Array<() => void> = [];
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #keepAliveUsers = 0;
  #failed: WriterBatch[] = [];
  #sentBatchCount = 0;
  #sentRecordCount = 0;
  #closed = false;
  #closing: Promise<WriterFlushResult> | undefined;
  readonly #id = randomUUID().replaceAll('-', '');
  #pendingRecords = 0;
  /** See {@link PanoplyWriterOptions.flushOnExit}. */
  readonly flushOnExit: boolean;

  constructor(options: PanoplyWriterOptions) {
    super();
    if (typeof options?.sink?.encodeRecord !== 'function' || typeof options.sink.sendBatch !== 'function') {
      throw new ConfigError('sink must implement encodeRecord() and sendBatch()');
    }
    this.#sink = options.sink;
    this.#maxBatchChars = positive('maxBatchChars', options.maxBatchChars ?? 256_000);
    this.#flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 2000);
    this.#maxBufferedChars = positive(
      'maxBufferedChars',
      options.maxBufferedChars ?? 4 * this.#maxBatchChars,
    );
    if (this.#maxBufferedChars < this.#maxBatchChars) {
      throw new ConfigError('maxBufferedChars must be at least maxBatchChars');
    }
    const attempts = options.maxSendAttempts ?? 4;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new ConfigError('maxSendAttempts must be an integer >= 1');
    this.#maxSendAttempts = attempts;
    const concurrency = options.maxConcurrentSends ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError('maxConcurrentSends must be an integer >= 1');
    }
    this.#maxConcurrentSends = concurrency;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    if (!(this.#retryBaseDelayMs >= 0) || !(this.#maxRetryDelayMs >= 0)) {
      throw new ConfigError('retry delays must be >= 0');
    }
    this.flushOnExit = options.flushOnExit ?? true;
  }

  /** Records written and neither delivered nor given up on (in failed batches) yet. */
  get pendingRecordCount(): number {
    return this.#pendingRecords;
  }

  /** Used by the process-exit guard: flushes and resolves with the records that failed. */
  async flushAtExit(): Promise<number> {
    const before = this.#failed.reduce((sum, batch) => sum + batch.records.length, 0);
    const result = await this.flush();
    return result.failedBatches.reduce((sum, batch) => sum + batch.records.length, 0) - before;
  }

  #addPending(count: number): void {
    if (this.#pendingRecords === 0 && count > 0) guardPendingRecords(this);
    this.#pendingRecords += count;
    if (this.#pendingRecords === 0) releasePendingRecords(this);
  }

  /** Encoded characters buffered or in flight. */
  get bufferedChars(): number {
    return this.#bufferedChars;
  }

  /** Batches that failed every attempt, oldest first. They are never dropped by the writer. */
  get failedBatches(): readonly WriterBatch[] {
    return [...this.#failed];
  }

  /** Returns the failed batches and forgets them (e.g. to write their records again later). */
  takeFailedBatches(): WriterBatch[] {
    const taken = this.#failed;
    this.#failed = [];
    return taken;
  }

  /**
   * Buffers a shallow copy of `data` with `__table = table` (an existing `__table` is overwritten).
   * Resolves at once unless more than `maxBufferedChars` are pending, then once the sink caught up.
   * Rejects with {@link InvalidRecordError} for a non-object or unserialisable record and with
   * {@link WriterClosedError} after `close()`.
   */
  write(table: string, data: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.#closed) return Promise.reject(new WriterClosedError());
    if (typeof table !== 'string' || table === '') {
      return Promise.reject(new InvalidRecordError('table must be a non-empty string'));
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return Promise.reject(new InvalidRecordError(`record for table "${table}" must be a plain object`));
    }
    // An existing __table keeps its key position (as in a Python dict); a new one goes last.
    const record: DataRecord = { ...data, __table: table };
    let encoded: string;
    try {
      encoded = this.#sink.encodeRecord(record);
    } catch (error) {
      return Promise.reject(toInvalidRecordError(error, `record for table "${table}"`));
    }
    this.#addPending(1);
    this.#openParts.push(encoded);
    this.#openRecords.push(record);
    this.#openChars += encoded.length;
    this.#bufferedChars += encoded.length;
    if (this.#openChars > this.#maxBatchChars) {
      this.#seal();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#seal();
      }, this.#flushIntervalMs);
      this.#timer.unref?.();
    }
    if (this.#bufferedChars <= this.#maxBufferedChars) return RESOLVED;
    return this.#whileKeptAlive(
      new Promise<void>((resolve) => {
        this.#capacityWaiters.push(resolve);
      }),
    );
  }

  /**
   * Buffers `records` (each a plain object with its `__table` set) as batches of their own, cut by
   * `maxBatchChars` alone (never by the timer), so that the same records always give the same
   * batches and the same `deduplicationId`s: the runner sends each batch of a source this way.
   * Every record is encoded before any is buffered: an unserialisable one rejects the whole group
   * with {@link InvalidRecordError} and buffers nothing. Resolves as `write()` does; call `flush()`
   * to wait for delivery.
   */
  writeBatch(records: readonly DataRecord[], options: WriteBatchOptions): Promise<void> {
    if (this.#closed) return Promise.reject(new WriterClosedError());
    const prefix = options?.deduplicationIdPrefix;
    if (typeof prefix !== 'string' || !/^[A-Za-z0-9.+-]{1,80}$/.test(prefix)) {
      return Promise.reject(
        new ConfigError(
          'deduplicationIdPrefix must be 1 to 80 characters of letters, digits, ".", "+" or "-"',
        ),
      );
    }
    const copies: DataRecord[] = [];
    const parts: string[] = [];
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        return Promise.reject(new InvalidRecordError(`record ${index} of the batch must be a plain object`));
      }
      const table = record.__table;
      if (typeof table !== 'string' || table === '') {
        return Promise.reject(
          new InvalidRecordError(`record ${index} of the batch needs __table, a non-empty string`),
        );
      }
      const copy = { ...record };
      try {
        parts.push(this.#sink.encodeRecord(copy));
      } catch (error) {
        return Promise.reject(toInvalidRecordError(error, `record ${index} of the batch (table "${table}")`));
      }
      copies.push(copy);
    }
    if (copies.length === 0) return RESOLVED;
    this.#seal();
    this.#addPending(copies.length);
    let first = 0;
    let chars = 0;
    const cut = (end: number): void => {
      const chunk = copies.slice(first, end);
      const body = parts.slice(first, end).join('');
      this.#sealed.push({
        sequence: this.#nextSequence++,
        records: chunk,
        body,
        deduplicationId: deduplicationId(prefix, first, chunk),
      });
      this.#bufferedChars += body.length;
      first = end;
      chars = 0;
    };
    for (let index = 0; index < parts.length; index++) {
      chars += (parts[index] as string).length;
      if (chars > this.#maxBatchChars) cut(index + 1);
    }
    if (first < parts.length) cut(parts.length);
    this.#pump();
    if (this.#bufferedChars <= this.#maxBufferedChars) return RESOLVED;
    return this.#whileKeptAlive(
      new Promise<void>((resolve) => {
        this.#capacityWaiters.push(resolve);
      }),
    );
  }

  /**
   * Sends everything buffered now and resolves once every batch was accepted or failed all its
   * attempts. Resolves with the failed batches; it never rejects because of the sink.
   */
  flush(): Promise<WriterFlushResult> {
    this.#seal();
    return this.#whileKeptAlive(this.#waitDrained());
  }

  /** Flushes, then closes the sink. Later writes reject with {@link WriterClosedError}. Idempotent. */
  close(): Promise<WriterFlushResult> {
    this.#closed = true;
    this.#closing ??= this.flush().then(async (result) => {
      await this.#sink.close?.();
      return result;
    });
    return this.#closing;
  }

  async #waitDrained(): Promise<WriterFlushResult> {
    if (this.#inFlight > 0 || this.#sealed.length > 0) {
      await new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
      });
    }
    return {
      failedBatches: this.failedBatches,
      sentBatchCount: this.#sentBatchCount,
      sentRecordCount: this.#sentRecordCount,
    };
  }

  // Unref'd timers must not let the process exit while someone awaits the outcome; a ref'd idle
  // interval holds it open exactly as long as such a promise is pending.
  async #whileKeptAlive<T>(promise: Promise<T>): Promise<T> {
    if (this.#keepAliveUsers++ === 0) this.#keepAlive = setInterval(() => {}, 1 << 30);
    try {
      return await promise;
    } finally {
      if (--this.#keepAliveUsers === 0) {
        clearInterval(this.#keepAlive);
        this.#keepAlive = undefined;
      }
    }
  }

  #seal(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#openRecords.length === 0) return;
    const sequence = this.#nextSequence++;
    this.#sealed.push({
      sequence,
      records: this.#openRecords,
      body: this.#openParts.join(''),
      deduplicationId: `${this.#id}.${sequence}`,
    });
    this.#openParts = [];
    this.#openRecords = [];
    this.#openChars = 0;
    this.#pump();
  }

  // Starts sends while fewer than maxConcurrentSends are in flight. #sendWithRetries never rejects.
  #pump(): void {
    while (this.#inFlight < this.#maxConcurrentSends && this.#sealed.length > 0) {
      const batch = this.#sealed.shift() as WriterBatch;
      this.#inFlight++;
      void this.#sendWithRetries(batch).then(() => {
        this.#inFlight--;
        this.#bufferedChars -= batch.body.length;
        this.#addPending(-batch.records.length);
        this.#releaseCapacity();
        this.#pump();
        if (this.#inFlight === 0 && this.#sealed.length === 0) {
          for (const resolve of this.#idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  #releaseCapacity(): void {
    while (this.#capacityWaiters.length > 0 && this.#bufferedChars <= this.#maxBufferedChars) {
      this.#capacityWaiters.shift()?.();
    }
  }

  #fireSafely<Name extends keyof WriterEvents & string>(name: Name, data: WriterEvents[Name]): void {
    try {
      this.fire(name, data);
    } catch (error) {
      // A throwing handler must not lose the batch or kill the send loop.
      console.error(`@sdk/datasource: a "${name}" event handler threw`, error);
    }
  }

  async #sendWithRetries(batch: WriterBatch): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#maxSendAttempts; attempt++) {
      this.#fireSafely('send', { batch, attempt });
      try {
        const response = await this.#sink.sendBatch(batch);
        this.#sentBatchCount++;
        this.#sentRecordCount += batch.records.length;
        this.#fireSafely('flush', { batch, response });
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.#maxSendAttempts) {
          const delayMs = backoffDelayMs(attempt - 1, {
            baseDelayMs: this.#retryBaseDelayMs,
            maxDelayMs: this.#maxRetryDelayMs,
          });
          this.#fireSafely('retry', { batch, attempt, error, delayMs });
          await sleepMs(delayMs);
        }
      }
    }
    this.#failed.push(batch);
    this.#fireSafely('error', new SendFailedError(batch, this.#maxSendAttempts, lastError));
  }
}

/** Options of {@link createPanoplySdk}: the writer's, minus `sink`, plus the HTTP sink's extras. */
export type PanoplySdkOptions = Omit<PanoplyWriterOptions, 'sink'> &
  Omit<PanoplyHttpSinkOptions, 'apiKey' | 'apiSecret'>;

/**
 * `SDK(apikey, apisecret)` of the Python package: a {@link PanoplyWriter} posting to the queue
 * derived from the key and secret (or `endpointUrl`).
 */
export function createPanoplySdk(
  apiKey: string,
  apiSecret: string | Uint8Array,
  options: PanoplySdkOptions = {},
): PanoplyWriter {
  const {
    endpointUrl,
    sdkIdentifier,
    requestTimeoutMs,
    nonFiniteNumbers,
    deduplication,
    messageGroupId,
    ...writerOptions
  } = options;
  const sink = createPanoplyHttpSink({
    apiKey,
    apiSecret,
    endpointUrl,
    sdkIdentifier,
    requestTimeoutMs,
    nonFiniteNumbers,
    deduplication,
    messageGroupId,
  });
  return new PanoplyWriter({ ...writerOptions, sink });
}
