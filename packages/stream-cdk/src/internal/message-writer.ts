import type { Writable } from 'node:stream';
import { toJsonText } from '../protocol/json-text';

/** Bytes gathered before one `write()` call: fewer syscalls without holding much memory. */
const BATCH_CHARS = 64 * 1024;

/**
 * Writes one JSON line per message to a stream (bigints as exact integers), batching small lines and waiting for `drain` when
 * the stream's buffer is full, so a slow reader slows the source down instead of growing memory.
 */
export class MessageWriter {
  private buffer = '';
  private failure: Error | undefined;
  private written = 0;

  constructor(private readonly output: Writable) {
    output.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Appends `message` as one line; resolves once it may accept more. Rejects if the output broke. */
  async write(message: unknown): Promise<void> {
    this.buffer += `${toJsonText(message)}\n`;
    if (this.buffer.length >= BATCH_CHARS) await this.flush();
  }

  /** Appends every message of `batch`; waits only when the buffer is full and the stream is not ready. */
  async writeMany(batch: readonly unknown[]): Promise<void> {
    for (const message of batch) {
      this.buffer += `${toJsonText(message)}\n`;
      if (this.buffer.length >= BATCH_CHARS) await this.flush();
    }
  }

  /** Bytes handed to the stream so far (what is still buffered here is not counted). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Writes whatever is buffered and waits for the stream to accept it. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.written += Buffer.byteLength(chunk);
    if (!this.output.write(chunk)) await this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        this.output.off('drain', onDrain);
        this.output.off('error', onError);
        this.output.off('close', onClose);
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(this.failure ?? new Error('output closed'));
      };
      this.output.on('drain', onDrain);
      this.output.on('error', onError);
      this.output.on('close', onClose);
    });
  }
}
