import type { Readable } from 'node:stream';

/**
 * Yields the lines of a text stream (without `\n` or `\r\n`, empty lines skipped) in batches: every
 * line that arrived since the consumer last asked. The stream is read ahead, up to
 * `maxBufferedChars` characters, while the consumer works (a DuckDB commit, say), so that a source
 * command writing into a pipe is not stalled by each commit; beyond that the stream is paused, which
 * keeps memory bounded. One batch per wake-up also spares the consumer an `await` per line.
 */
export async function* readLineBatches(
  input: Readable,
  maxBufferedChars = 1024 * 1024,
): AsyncGenerator<string[]> {
  let queue: string[] = [];
  let queuedChars = 0;
  let partial = '';
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const push = (line: string) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text !== '') queue.push(text);
  };
  const onData = (chunk: string) => {
    let start = 0;
    let end = chunk.indexOf('\n');
    if (end >= 0) {
      push(partial + chunk.slice(0, end));
      partial = '';
      start = end + 1;
      end = chunk.indexOf('\n', start);
      while (end >= 0) {
        push(chunk.slice(start, end));
        start = end + 1;
        end = chunk.indexOf('\n', start);
      }
    }
    partial += chunk.slice(start);
    queuedChars += chunk.length;
    if (queuedChars >= maxBufferedChars) input.pause();
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (error: Error) => {
    failure = error;
    wake?.();
  };
  input.setEncoding('utf8');
  input.on('data', onData);
  input.once('end', onEnd);
  input.once('close', onEnd);
  input.once('error', onError);
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        queuedChars = partial.length;
        if (input.isPaused()) input.resume();
        yield batch;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) {
        push(partial);
        partial = '';
        if (queue.length > 0) yield queue;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('close', onEnd);
    input.off('error', onError);
  }
}
