import { PassThrough } from 'node:stream';
import { readLineBatches } from './read-line-batches';

async function collect(input: PassThrough, max?: number): Promise<string[][]> {
  const batches: string[][] = [];
  for await (const batch of readLineBatches(input, max)) batches.push(batch);
  return batches;
}

describe('readLineBatches', () => {
  it('splits lines across chunks, drops \\r and empty lines, and yields a last line without \\n', async () => {
    const input = new PassThrough();
    const reading = collect(input);
    input.write('{"a":1}\r\n{"b"');
    input.write(':2}\n\n\n{"c":');
    input.write('"é"}\n');
    input.end('tail');
    expect((await reading).flat()).toEqual(['{"a":1}', '{"b":2}', '{"c":"é"}', 'tail']);
  });

  it('keeps a character split between two chunks whole', async () => {
    const input = new PassThrough();
    const reading = collect(input);
    const bytes = Buffer.from('{"name":"日本"}\n');
    input.write(bytes.subarray(0, 11));
    input.end(bytes.subarray(11));
    expect((await reading).flat()).toEqual(['{"name":"日本"}']);
  });

  it('reads ahead while the consumer is busy, up to the limit, then pauses the stream', async () => {
    const input = new PassThrough();
    const iterator = readLineBatches(input, 20)[Symbol.asyncIterator]();
    input.write('line 1\n');
    const first = await iterator.next();
    expect(first.value).toEqual(['line 1']);
    // The consumer is "busy" (it has not asked again): lines pile up until 20 characters, then a pause.
    input.write('line 2\nline 3\nline 4\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.isPaused()).toBe(true);
    const second = await iterator.next();
    expect(second.value).toEqual(['line 2', 'line 3', 'line 4']);
    expect(input.isPaused()).toBe(false);
    input.end();
    expect((await iterator.next()).done).toBe(true);
  });

  it('rethrows an error of the stream', async () => {
    const input = new PassThrough();
    const reading = collect(input);
    input.destroy(new Error('pipe broke'));
    await expect(reading).rejects.toThrow('pipe broke');
  });
});
