import type { RecordBatch, Schema } from 'apache-arrow';
import { ChunkerClosedError } from './errors/chunker-closed-error.js';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { type InferSchemaOptions, inferArrowSchemaWithRowOffset } from './infer-arrow-schema.js';
import { describeValueKind, isPlainObject } from './internal/describe-value.js';
import { estimateRowBytes } from './internal/estimate-row-bytes.js';
import { RowAppender } from './internal/row-appender.js';
import type { ExtraFieldsPolicy } from './internal/row-value-normalizer.js';
import { extraFieldsOption, integersOption, positiveIntegerOption } from './internal/validate-options.js';

/** Options of {@link RecordBatcher}. */
export interface RecordBatcherOptions extends InferSchemaOptions {
  /**
   * Schema every row must fit; rows are checked and copied into Arrow builders as they are written, so a
   * bad row rejects its own `write()`. Defaults to none: each batch's schema is inferred from its rows
   * when it is emitted, and the row objects are kept until then (do not mutate them after `write()`).
   */
  schema?: Schema;
  /** Unknown row properties: `'error'` (default) or `'ignore'`. See `rowsToRecordBatch`. */
  extraFields?: 'error' | 'ignore';
  /** A batch is emitted once it holds this many rows. Defaults to 10_000. Minimum 1. */
  maxRows?: number;
  /** A batch is emitted once its estimated Arrow size reaches this many bytes. Defaults to 4_194_304 (4 MiB). */
  maxBytes?: number;
  /**
   * A non-empty batch is emitted at the latest this many milliseconds after its first row, so slow
   * sources still deliver. Defaults to 1_000. `0` disables the timer (size thresholds and flush only).
   */
  lingerMs?: number;
  /**
   * Emitted batches the consumer has not taken yet; when this many are waiting and the current batch is
   * full, `write()` waits (backpressure). Defaults to 2. Minimum 1.
   */
  maxQueuedBatches?: number;
}

const DEFAULT_MAX_ROWS = 10_000;
const DEFAULT_MAX_BYTES = 4_194_304;
const DEFAULT_LINGER_MS = 1_000;
const DEFAULT_MAX_QUEUED_BATCHES = 2;
const TARGET = 'RecordBatcher';

/**
 * Collects row objects into RecordBatches for a consumer that reads them with `for await`. Batches are
 * emitted by row count (`maxRows`), estimated size (`maxBytes`) or age (`lingerMs`). Memory is bounded:
 * at most `maxQueuedBatches` emitted batches plus the one being filled; when the consumer falls behind,
 * the promise returned by `write()` resolves only once there is room. Await each `write()`.
 *
 * Errors: a row that does not fit `schema` rejects its own `write()` with ChunkerRowSchemaMismatchError
 * (naming the row's index in this batcher and the field; a string with a lone surrogate is such a
 * value) and is not added. Without a schema, a batch whose rows cannot be converted fails the batcher:
 * the call that emitted it, every later call and the consumer's iteration reject with that error
 * (ChunkerUnsupportedTypeError when inference fails, ChunkerRowSchemaMismatchError for a string with a
 * lone surrogate). Writes after `close()` reject with ChunkerClosedError, as do writes after the
 * consumer stopped iterating. The constructor throws ChunkerInvalidSourceError for a `schema` of
 * another apache-arrow copy or build (see rowsToRecordBatch).
 */
export class RecordBatcher implements AsyncIterable<RecordBatch> {
  private readonly schema: Schema | undefined;
  private readonly inferOptions: InferSchemaOptions;
  private readonly extraFields: ExtraFieldsPolicy;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly lingerMs: number;
  private readonly maxQueuedBatches: number;

  private readonly appender: RowAppender | undefined;
  private pendingRows: Record<string, unknown>[] = [];
  private currentRows = 0;
  private currentBytes = 0;
  private firstRowIndexOfCurrent = 0;
  private nextRowIndex = 0;

  private readonly queue: RecordBatch[] = [];
  private roomWaiters: (() => void)[] = [];
  private consumerWaiter: (() => void) | undefined;
  private waitingWrites = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerExpired = false;
  private closeRequested = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(options: RecordBatcherOptions = {}) {
    this.schema = options.schema;
    this.inferOptions = { integers: integersOption(options.integers) };
    this.extraFields = extraFieldsOption(options.extraFields);
    this.maxRows = positiveIntegerOption('maxRows', options.maxRows, DEFAULT_MAX_ROWS);
    this.maxBytes = positiveIntegerOption('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
    this.lingerMs = positiveIntegerOption('lingerMs', options.lingerMs, DEFAULT_LINGER_MS, 0);
    this.maxQueuedBatches = positiveIntegerOption(
      'maxQueuedBatches',
      options.maxQueuedBatches,
      DEFAULT_MAX_QUEUED_BATCHES,
    );
    this.appender = this.schema === undefined ? undefined : new RowAppender(this.schema, this.extraFields);
  }

  /** Rows in the batch being filled. */
  get bufferedRows(): number {
    return this.currentRows;
  }

  /** Emitted batches waiting for the consumer. */
  get queuedBatches(): number {
    return this.queue.length;
  }

  /**
   * Adds one row. Resolves at once while there is room; otherwise when the consumer has taken a batch.
   * @throws (rejects) ChunkerRowSchemaMismatchError, ChunkerClosedError, or the batcher's failure.
   */
  write(row: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closeRequested) {
      return Promise.reject(new ChunkerClosedError(TARGET, 'write() after close()'));
    }
    const rowIndex = this.nextRowIndex;
    this.nextRowIndex += 1;
    if (this.waitingWrites === 0 && !this.isCurrentFull()) {
      try {
        this.appendRow(row, rowIndex);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    this.waitingWrites += 1;
    const written = this.writeChain.then(() => this.appendWhenRoom(row, rowIndex));
    const settled = written.finally(() => {
      this.waitingWrites -= 1;
    });
    this.writeChain = settled.catch(() => undefined);
    return settled;
  }

  /** Emits the rows written so far as a batch (if any); resolves once it is queued for the consumer. */
  async flush(): Promise<void> {
    await this.writeChain;
    this.throwIfFailed();
    while (this.currentRows > 0) {
      if (this.queue.length < this.maxQueuedBatches) this.seal();
      else await this.waitForRoom();
      this.throwIfFailed();
    }
  }

  /**
   * Flushes, then ends the batch sequence: the consumer's iteration finishes after the last batch.
   * Later writes reject with ChunkerClosedError. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAfterFlush();
    return this.closing;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    return {
      next: () => this.nextBatch(),
      return: async () => {
        this.stopByConsumer();
        return { done: true, value: undefined };
      },
    };
  }

  private async closeAfterFlush(): Promise<void> {
    this.closeRequested = true;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.clearLingerTimer();
      this.wakeConsumer();
    }
  }

  private async nextBatch(): Promise<IteratorResult<RecordBatch>> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch !== undefined) {
        this.onRoom();
        return { done: false, value: batch };
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.closed) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.consumerWaiter = resolve;
      });
    }
  }

  private stopByConsumer(): void {
    if (this.failure === undefined) {
      this.failure = new ChunkerClosedError(TARGET, 'the consumer stopped reading batches');
    }
    this.queue.length = 0;
    this.clearLingerTimer();
    this.wakeWriters();
  }

  private async appendWhenRoom(row: Readonly<Record<string, unknown>>, rowIndex: number): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      if (!this.isCurrentFull()) {
        this.appendRow(row, rowIndex);
        return;
      }
      if (this.queue.length < this.maxQueuedBatches) this.seal();
      else await this.waitForRoom();
    }
  }

  private appendRow(row: Readonly<Record<string, unknown>>, rowIndex: number): void {
    if (this.appender !== undefined) {
      this.appender.append(row, rowIndex);
    } else {
      if (!isPlainObject(row)) {
        throw new ChunkerUnsupportedTypeError(
          '(row)',
          `row ${rowIndex} is ${describeValueKind(row)}, not a plain object`,
        );
      }
      this.pendingRows.push(row);
    }
    if (this.currentRows === 0) {
      this.firstRowIndexOfCurrent = rowIndex;
      this.startLingerTimer();
    }
    this.currentRows += 1;
    this.currentBytes += estimateRowBytes(row);
    if (this.isCurrentFull() && this.queue.length < this.maxQueuedBatches) this.seal();
  }

  private isCurrentFull(): boolean {
    return this.currentRows >= this.maxRows || this.currentBytes >= this.maxBytes;
  }

  /** Moves the current rows into the queue as one batch. Callers check that the queue has room. */
  private seal(): void {
    if (this.currentRows === 0) return;
    this.clearLingerTimer();
    this.lingerExpired = false;
    let batch: RecordBatch;
    if (this.appender !== undefined) {
      batch = this.appender.finish();
    } else {
      const rows = this.pendingRows;
      this.pendingRows = [];
      try {
        const schema = inferArrowSchemaWithRowOffset(rows, this.inferOptions, this.firstRowIndexOfCurrent);
        const appender = new RowAppender(schema, this.extraFields);
        for (let index = 0; index < rows.length; index += 1) {
          appender.append(rows[index], this.firstRowIndexOfCurrent + index);
        }
        batch = appender.finish();
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    }
    this.currentRows = 0;
    this.currentBytes = 0;
    this.queue.push(batch);
    this.wakeConsumer();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.currentRows = 0;
    this.currentBytes = 0;
    this.clearLingerTimer();
    this.wakeConsumer();
    this.wakeWriters();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Called when the consumer took a batch: emit what became due, then let writers re-check. */
  private onRoom(): void {
    if (this.failure === undefined && (this.isCurrentFull() || this.lingerExpired)) {
      try {
        this.seal();
      } catch {
        // seal() recorded the failure; the consumer sees it on its next read.
      }
    }
    this.wakeWriters();
  }

  private waitForRoom(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.roomWaiters.push(resolve);
    });
  }

  private wakeWriters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeConsumer(): void {
    const wake = this.consumerWaiter;
    this.consumerWaiter = undefined;
    wake?.();
  }

  private startLingerTimer(): void {
    if (this.lingerMs === 0) return;
    this.lingerTimer = setTimeout(() => this.onLingerExpired(), this.lingerMs);
  }

  private clearLingerTimer(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private onLingerExpired(): void {
    this.lingerTimer = undefined;
    if (this.currentRows === 0 || this.failure !== undefined) return;
    if (this.queue.length < this.maxQueuedBatches) {
      try {
        this.seal();
      } catch {
        // seal() recorded the failure for every later call and the consumer.
      }
    } else {
      this.lingerExpired = true;
    }
  }
}
