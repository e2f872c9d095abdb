import { Writable } from 'node:stream';
import { ResponseWriter } from './response-writer';

function slowStream(highWaterMark: number) {
  const received: string[] = [];
  let maxQueuedAtWrite = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.toString());
      setTimeout(callback, 1);
    },
  });
  const originalWrite = stream.write.bind(stream) as (
    chunk: string,
    callback?: (error?: Error | null) => void,
  ) => boolean;
  const instrumented = Object.assign(stream, {
    write: (chunk: string, callback?: (error?: Error | null) => void) => {
      maxQueuedAtWrite = Math.max(maxQueuedAtWrite, stream.writableLength);
      return originalWrite(chunk, callback);
    },
  });
  return { stream: instrumented, received, maxQueued: () => maxQueuedAtWrite };
}

describe('ResponseWriter', () => {
  it('waits for drain when the stream is full instead of queueing without bound', async () => {
    const { stream, received, maxQueued } = slowStream(64);
    const writer = new ResponseWriter(stream);
    const writes: Promise<void>[] = [];
    for (let index = 0; index < 50; index += 1) {
      writes.push(writer.write({ captured: { binding: 0, doc: { index, pad: 'x'.repeat(40) } } }));
    }
    await Promise.all(writes);
    await writer.flush();
    // Each write starts only after the previous one drained: the stream never holds more than one chunk.
    expect(maxQueued()).toBe(0);
    const lines = received.join('').split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line).captured.doc.index)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('rejects later writes once the stream failed', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('EPIPE'));
      },
    });
    stream.on('error', () => undefined);
    const writer = new ResponseWriter(stream);
    await expect(writer.write({ opened: {} })).rejects.toThrow('EPIPE');
    await expect(writer.write({ opened: {} })).rejects.toThrow('EPIPE');
    await expect(writer.flush()).rejects.toThrow('EPIPE');
  });
});
