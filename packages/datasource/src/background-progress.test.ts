import { backgroundProgress, runWithBackgroundProgress } from './background-progress';
import { DataSource, type ProgressEvent } from './data-source';
import { BackgroundTimeoutError } from './errors/background-timeout-error';

class WaitingSource extends DataSource {
  async read(): Promise<null> {
    return null;
  }

  @backgroundProgress('Waiting for the export', { waitingIntervalMs: 1000, timeoutMs: 10_000 })
  async waitFor(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return `waited ${ms}`;
  }
}

afterEach(() => {
  jest.useRealTimers();
});

function watch(source: DataSource): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  source.on('progress', (event) => events.push(event));
  return events;
}

describe('backgroundProgress', () => {
  it('reports at once, then every interval, until the call settles', async () => {
    jest.useFakeTimers();
    const logs: unknown[][] = [];
    const source = new WaitingSource({}, { logger: (messages) => logs.push([...messages]) });
    const events = watch(source);
    const result = source.waitFor(3500);
    expect(events).toEqual([{ loaded: null, total: null, msg: 'Waiting for the export' }]);
    await jest.advanceTimersByTimeAsync(3000);
    expect(events).toHaveLength(4);
    await jest.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toBe('waited 3500');
    await jest.advanceTimersByTimeAsync(5000);
    expect(events).toHaveLength(4);
    expect(logs[0]).toEqual(['Creating background progress emitter']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with BackgroundTimeoutError after the timeout', async () => {
    jest.useFakeTimers();
    const source = new WaitingSource({}, { logger: () => {} });
    const result = source.waitFor(60_000);
    const settled = result.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(10_000);
    const error = await settled;
    expect(BackgroundTimeoutError.isInstance(error)).toBe(true);
    expect((error as BackgroundTimeoutError).code).toBe('DATASOURCE_BACKGROUND_TIMEOUT');
  });

  it('passes the work error through', async () => {
    const source = new WaitingSource({}, { logger: () => {} });
    const failure = new RangeError('export failed');
    await expect(
      runWithBackgroundProgress(source, 'waiting', () => Promise.reject(failure), { waitingIntervalMs: 10 }),
    ).rejects.toBe(failure);
  });
});
