import type { DataSource } from './data-source';
import { BackgroundTimeoutError } from './errors/background-timeout-error';

/** Options of {@link backgroundProgress}. */
export interface BackgroundProgressOptions {
  /** Time between two progress reports while waiting. Defaults to 600 000 ms (10 minutes). */
  waitingIntervalMs?: number;
  /** Give up after this long. Defaults to 86 400 000 ms (24 hours). */
  timeoutMs?: number;
}

/**
 * Runs `work` while telling the runner the source is alive: logs `message` and fires
 * `progress(null, null, message)` at once, then every `waitingIntervalMs` until `work` settles.
 * Resolves or rejects as `work` does; rejects with {@link BackgroundTimeoutError} after `timeoutMs`
 * (the work itself cannot be cancelled and is left to finish in the background).
 */
export function runWithBackgroundProgress<T>(
  dataSource: DataSource,
  message: string,
  work: () => Promise<T> | T,
  options: BackgroundProgressOptions = {},
): Promise<T> {
  const waitingIntervalMs = options.waitingIntervalMs ?? 600_000;
  const timeoutMs = options.timeoutMs ?? 86_400_000;
  dataSource.log('Creating background progress emitter');
  dataSource.log(`Timeout is set to ${timeoutMs} ms`);
  const report = (): void => {
    dataSource.log(message);
    dataSource.progress(null, null, message);
  };
  return new Promise<T>((resolve, reject) => {
    let interval: ReturnType<typeof setInterval> | undefined;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      clearInterval(interval);
      clearTimeout(timeout);
    };
    interval = setInterval(report, waitingIntervalMs);
    timeout = setTimeout(() => {
      settle();
      dataSource.log('Max waiting time exceeded.');
      reject(new BackgroundTimeoutError(timeoutMs));
    }, timeoutMs);
    try {
      report();
    } catch (error) {
      settle();
      reject(error);
      return;
    }
    Promise.resolve()
      .then(work)
      .then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
  });
}

/**
 * Method decorator form of {@link runWithBackgroundProgress} (Panoply's `background_progress`) for
 * async methods of a data source.
 */
export function backgroundProgress(message: string, options: BackgroundProgressOptions = {}) {
  return <This extends DataSource, Args extends unknown[], Return extends Promise<unknown>>(
    method: (this: This, ...args: Args) => Return,
    _context?: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): ((this: This, ...args: Args) => Return) => {
    return function withBackgroundProgress(this: This, ...args: Args): Return {
      return runWithBackgroundProgress(this, message, () => method.apply(this, args), options) as Return;
    };
  };
}
