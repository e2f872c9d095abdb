import { Writable } from 'node:stream';
import { ResponseWriter, type WritableLike } from './response-writer';

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

  it('hands the stream one callback for every write, so no per-write closure keeps a chunk alive', async () => {
    const { stream } = slowStream(16);
    const callbacks = new Set<unknown>();
    const recording: WritableLike = {
      write: (chunk, callback) => {
        callbacks.add(callback);
        return stream.write(chunk, callback);
      },
      once: (event, listener) => stream.once(event, listener),
      removeListener: (event, listener) => stream.removeListener(event, listener),
    };
    const writer = new ResponseWriter(recording);
    for (let index = 0; index < 5; index += 1) await writer.writeText(`${'x'.repeat(64)}\n`);
    await writer.flush();
    expect(callbacks.size).toBe(1);
    expect([...callbacks][0]).toBeInstanceOf(Function);
  });

  it('leaves no drain or error listener behind once writes are accepted', async () => {
    const { stream, received } = slowStream(16);
    const writer = new ResponseWriter(stream);
    const writes = [
      writer.writeText('a\n'),
      writer.writeText(`${'b'.repeat(100)}\n`),
      writer.writeText('c\n'),
    ];
    await Promise.all(writes);
    await writer.flush();
    expect(received.join('')).toBe(`a\n${'b'.repeat(100)}\nc\n`);
    expect(stream.listenerCount('drain')).toBe(0);
    expect(stream.listenerCount('error')).toBe(0);
  });

  it('rejects the write waiting for drain when the stream emits an error', async () => {
    const stream = new Writable({
      highWaterMark: 4,
      write(_chunk, _encoding, _callback) {
        // Never completes: the writer waits for a drain that cannot come.
      },
    });
    const writer = new ResponseWriter(stream);
    const waiting = writer.writeText('a longer line than the high-water mark\n');
    await new Promise((resolve) => setImmediate(resolve));
    stream.emit('error', new Error('ECONNRESET'));
    await expect(waiting).rejects.toThrow('ECONNRESET');
    await expect(writer.writeText('next\n')).rejects.toThrow('ECONNRESET');
    expect(stream.listenerCount('drain')).toBe(0);
  });

  it('rejects only the write whose stream threw, leaving no listener behind', async () => {
    const { stream, received } = slowStream(1024);
    let throwNext = true;
    const throwing: WritableLike = {
      write: (chunk, callback) => {
        if (throwNext) {
          throwNext = false;
          throw new TypeError('not writable yet');
        }
        return stream.write(chunk, callback);
      },
      once: (event, listener) => stream.once(event, listener),
      removeListener: (event, listener) => stream.removeListener(event, listener),
    };
    const writer = new ResponseWriter(throwing);
    await expect(writer.writeText('lost\n')).rejects.toBeInstanceOf(TypeError);
    expect(stream.listenerCount('error')).toBe(0);
    await writer.writeText('kept\n');
    await writer.flush();
    expect(received.join('')).toBe('kept\n');
  });
});
