import { toJsonText } from '@sdk/stream-cdk';
import type { CaptureResponse } from '../protocol/capture-response';

/** The part of a Node `Writable` the writer needs. */
export interface WritableLike {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain' | 'error', listener: (error?: Error) => void): unknown;
  removeListener(event: 'drain' | 'error', listener: (error?: Error) => void): unknown;
}

/**
 * The one writer of a connector's stdout. Serialises every write in call order, so a buffered
 * transaction (documents plus their checkpoint) handed over as one chunk is never interleaved with
 * another producer's output, and waits for `drain` whenever the stream's buffer is full, so a slow
 * runtime slows the capture down instead of growing memory.
 */
export class ResponseWriter {
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private bytesWritten = 0;
  /** The write waiting for `drain` (writes are serialised, so at most one). */
  private waitingWrite: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly output: WritableLike) {}

  /** Total bytes handed to the stream so far (UTF-16 length of the text, an approximation). */
  get writtenBytes(): number {
    return this.bytesWritten;
  }

  /** Writes one response as a compact JSON line (bigints exact). Resolves once the stream accepted it. */
  write(response: CaptureResponse): Promise<void> {
    return this.writeText(`${toJsonText(response)}\n`);
  }

  /**
   * Writes text that already holds whole response lines, each ending with `\n`, as one chunk.
   * Resolves once the stream accepted it (after `drain` when its buffer was full); rejects when the
   * stream failed (e.g. the runtime closed its end).
   */
  writeText(text: string): Promise<void> {
    const next = this.tail.then(() => this.writeNow(text));
    // Keep the chain alive after a failure so later callers see the same error rather than hang.
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every write handed over so far was accepted. */
  flush(): Promise<void> {
    return this.tail.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  // The callbacks and listeners below are created once, not per write, and never see the chunk. A
  // closure per write would hold its chunk (a 64 KiB string) for as long as Node keeps the write's
  // callback; with stdout on a socket or a file that is long enough for chunks to survive
  // young-generation collections and pile up in old space until a rare full GC (bench peak RSS at
  // 5x the documents was 1.8x to 2.2x the 1x run's; 1.01x now). See the README's Benchmarks.
  private readonly onWritten = (error?: Error | null): void => {
    if (error) this.fail(error);
  };

  private readonly onStreamError = (error?: Error | null): void => {
    this.fail(error ?? new Error('output stream failed'));
  };

  private readonly onDrain = (): void => {
    const waiting = this.waitingWrite;
    if (waiting === undefined) return;
    this.waitingWrite = undefined;
    this.output.removeListener('error', this.onStreamError);
    waiting.resolve();
  };

  private fail(failure: Error): void {
    this.failure = failure;
    const waiting = this.waitingWrite;
    if (waiting === undefined) return;
    this.waitingWrite = undefined;
    this.output.removeListener('drain', this.onDrain);
    this.output.removeListener('error', this.onStreamError);
    waiting.reject(failure);
  }

  private writeNow(text: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (text.length === 0) return Promise.resolve();
    this.bytesWritten += text.length;
    const settled = new Promise<void>((resolve, reject) => {
      this.waitingWrite = { resolve, reject };
    });
    this.output.once('error', this.onStreamError);
    let accepted: boolean;
    try {
      accepted = this.output.write(text, this.onWritten);
    } catch (error) {
      // A stream that throws instead of reporting: fail this write only, as a rejection, and leave
      // no listener or waiting write behind.
      this.waitingWrite = undefined;
      this.output.removeListener('error', this.onStreamError);
      return Promise.reject(error);
    }
    if (accepted) {
      this.onDrain();
    } else if (this.waitingWrite !== undefined) {
      this.output.once('drain', this.onDrain);
    }
    return settled;
  }
}
