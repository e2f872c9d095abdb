import { TransportError } from '../errors/transport-error.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A bounded single-consumer queue. `push` waits while the buffered size is at or above `capacity`,
 * which is how backpressure travels: the gRPC writer pulls from the channel only as fast as HTTP/2
 * flow control lets it, and producers wait on `push`. One item larger than the capacity is still
 * accepted when the channel is empty, so nothing can deadlock on size.
 */
export class AsyncChannel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly sizes: number[] = [];
  private bufferedSize = 0;
  private readonly pushWaiters: Waiter[] = [];
  private pullWaiter:
    | { resolve: (result: IteratorResult<T>) => void; reject: (e: unknown) => void }
    | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private finalError: { error: unknown } | undefined;
  /** Largest buffered size seen; tests use it to check memory bounds. */
  highWaterSize = 0;

  constructor(
    private readonly capacity: number,
    private readonly sizeOf: (item: T) => number = () => 1,
  ) {}

  /** Buffered size in the units of `sizeOf`. */
  get size(): number {
    return this.bufferedSize;
  }

  /** True once `close` or `fail` was called. */
  get isClosed(): boolean {
    return this.closed || this.failure !== undefined;
  }

  /** Adds an item, waiting for room first. Rejects once the channel is closed or failed. */
  async push(item: T): Promise<void> {
    while (this.bufferedSize >= this.capacity && this.items.length > 0) {
      this.throwIfClosed();
      await new Promise<void>((resolve, reject) => this.pushWaiters.push({ resolve, reject }));
    }
    this.throwIfClosed();
    const itemSize = this.sizeOf(item);
    if (this.pullWaiter !== undefined) {
      const waiter = this.pullWaiter;
      this.pullWaiter = undefined;
      waiter.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    this.sizes.push(itemSize);
    this.bufferedSize += itemSize;
    if (this.bufferedSize > this.highWaterSize) this.highWaterSize = this.bufferedSize;
  }

  /**
   * No more items: the consumer drains what is buffered, then its iteration ends, or throws
   * `finalError` when one is given. Idempotent; the first call wins.
   */
  close(finalError?: unknown): void {
    if (this.closed || this.failure !== undefined) return;
    this.closed = true;
    if (finalError !== undefined) this.finalError = { error: finalError };
    this.rejectPushWaiters(finalError ?? new TransportError('TRANSPORT_CLOSED', 'the stream was closed'));
    if (this.items.length === 0 && this.pullWaiter !== undefined) {
      const waiter = this.pullWaiter;
      this.pullWaiter = undefined;
      if (this.finalError !== undefined) waiter.reject(this.finalError.error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  /** Ends the channel with an error: the consumer's next pull throws it, waiting producers reject. */
  fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = { error };
    this.items.length = 0;
    this.sizes.length = 0;
    this.bufferedSize = 0;
    this.rejectPushWaiters(error);
    if (this.pullWaiter !== undefined) {
      const waiter = this.pullWaiter;
      this.pullWaiter = undefined;
      waiter.reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.pull(),
      return: async () => {
        this.close();
        return { value: undefined, done: true };
      },
    };
  }

  private pull(): Promise<IteratorResult<T>> {
    if (this.failure !== undefined) return Promise.reject(this.failure.error);
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      this.bufferedSize -= this.sizes.shift() ?? 0;
      this.wakeOnePushWaiter();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) {
      if (this.finalError !== undefined) return Promise.reject(this.finalError.error);
      return Promise.resolve({ value: undefined, done: true });
    }
    // Nothing buffered: let a producer that waits for room hand its item over directly.
    this.wakeOnePushWaiter();
    return new Promise((resolve, reject) => {
      this.pullWaiter = { resolve, reject };
    });
  }

  private wakeOnePushWaiter(): void {
    const waiter = this.pushWaiters.shift();
    waiter?.resolve();
  }

  private rejectPushWaiters(error: unknown): void {
    for (const waiter of this.pushWaiters.splice(0)) waiter.reject(error);
  }

  private throwIfClosed(): void {
    if (this.failure !== undefined) throw this.failure.error;
    if (this.closed) {
      throw this.finalError?.error ?? new TransportError('TRANSPORT_CLOSED', 'the stream was closed');
    }
  }
}
