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

  constructor(private readonly output: WritableLike) {}

  /** Total bytes handed to the stream so far (UTF-16 length of the text, an approximation). */
  get writtenBytes(): number {
    return this.bytesWritten;
  }

  /** Writes one response as a compact JSON line. Resolves once the stream accepted it. */
  write(response: CaptureResponse): Promise<void> {
    return this.writeText(`${JSON.stringify(response)}\n`);
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

  private writeNow(text: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (text.length === 0) return Promise.resolve();
    this.bytesWritten += text.length;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const onError = (error?: Error | null) => {
        const failure = error ?? new Error('output stream failed');
        this.failure = failure;
        if (!settled) {
          settled = true;
          this.output.removeListener('drain', onDrain);
          reject(failure);
        }
      };
      const onDrain = () => {
        if (!settled) {
          settled = true;
          this.output.removeListener('error', onError);
          resolve();
        }
      };
      this.output.once('error', onError);
      const accepted = this.output.write(text, (error) => {
        if (error) onError(error);
      });
      if (accepted) {
        onDrain();
        this.output.removeListener('drain', onDrain);
      } else {
        this.output.once('drain', onDrain);
      }
    });
  }
}
