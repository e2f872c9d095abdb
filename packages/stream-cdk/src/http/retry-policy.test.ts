import { DEFAULT_BACKOFF_OPTIONS } from './backoff';
import { DEFAULT_RETRY_POLICY, isRetryableStatus } from './retry-policy';

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([200, 400, 401, 404, 429, 500, 503].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('takes its delays from the shared backoff options', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ ...DEFAULT_BACKOFF_OPTIONS, maxRetries: 5, timeoutMs: 30_000 });
  });
});
