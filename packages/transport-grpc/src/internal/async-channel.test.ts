import { TransportError } from '../errors/transport-error.js';
import { AsyncChannel } from './async-channel.js';

async function drain<T>(channel: AsyncChannel<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of channel) items.push(item);
  return items;
}

describe('AsyncChannel', () => {
  it('makes producers wait at capacity and releases them as the consumer pulls', async () => {
    const channel = new AsyncChannel<number>(2);
    const accepted: number[] = [];
    const producing = (async () => {
      for (let value = 0; value < 6; value += 1) {
        await channel.push(value);
        accepted.push(value);
      }
      channel.close();
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(accepted).toEqual([0, 1]);
    expect(channel.size).toBe(2);
    expect(await drain(channel)).toEqual([0, 1, 2, 3, 4, 5]);
    await producing;
    expect(channel.highWaterSize).toBeLessThanOrEqual(2);
  });

  it('sizes items with sizeOf and still accepts one oversized item when empty', async () => {
    const channel = new AsyncChannel<Uint8Array>(10, (item) => item.byteLength);
    await channel.push(new Uint8Array(50));
    expect(channel.size).toBe(50);
    let second = false;
    const pending = channel.push(new Uint8Array(1)).then(() => {
      second = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    const iterator = channel[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.byteLength).toBe(50);
    await pending;
    expect(second).toBe(true);
  });

  it('close(error) lets the consumer drain, then throws; fail() throws at once and rejects producers', async () => {
    const closing = new AsyncChannel<number>(5);
    await closing.push(1);
    closing.close(new TransportError('TRANSPORT_PLUGIN_FAILED', 'boom'));
    const iterator = closing[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    await expect(iterator.next()).rejects.toMatchObject({ code: 'TRANSPORT_PLUGIN_FAILED' });

    const failing = new AsyncChannel<number>(1);
    await failing.push(1);
    const blocked = failing.push(2);
    failing.fail(new TransportError('TRANSPORT_CANCELLED', 'stop'));
    await expect(blocked).rejects.toMatchObject({ code: 'TRANSPORT_CANCELLED' });
    await expect(failing[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'TRANSPORT_CANCELLED',
    });
    await expect(failing.push(3)).rejects.toMatchObject({ code: 'TRANSPORT_CANCELLED' });
  });

  it('rejects pushes after close with TRANSPORT_CLOSED', async () => {
    const channel = new AsyncChannel<number>(1);
    channel.close();
    await expect(channel.push(1)).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });
});
