import { backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfterMs } from './retry-policy';

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

  it('backs off exponentially with jitter between half and all of the delay, capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, policy, null, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, policy, null, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('honours Retry-After in seconds or as a date, capped at maxRetryAfterMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5_000 };
    expect(backoffDelayMs(0, policy, '2')).toBe(2_000);
    expect(backoffDelayMs(0, policy, '120')).toBe(5_000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Mon, 01 Jan 2024 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });
});
