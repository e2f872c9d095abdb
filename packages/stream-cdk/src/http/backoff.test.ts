// Byte for byte the same file in @sdk/stream-cdk (src/http) and @sdk/datasource (src/retry): one table of
// cases for both copies of the backoff. Change both together.
import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF_OPTIONS, parseRetryAfterMs } from './backoff';

const NOW = Date.parse('2024-01-01T00:00:00Z');
const ALMOST_ONE = 1 - Number.EPSILON;

// [what, retry, options, Retry-After header, random(), expected delay in ms]
const CASES: readonly (readonly [string, number, BackoffOptions, string | null, number, number])[] = [
  ['defaults: the first retry waits up to 1 s', 0, {}, null, ALMOST_ONE, 1_000],
  ['defaults: the ceiling doubles per retry', 3, {}, null, ALMOST_ONE, 8_000],
  ['defaults: the ceiling stops at 60 s', 6, {}, null, ALMOST_ONE, 60_000],
  ['full jitter reaches down to 0', 5, {}, null, 0, 0],
  ['full jitter is uniform over the whole range', 2, {}, null, 0.25, 1_000],
  ['a given base', 2, { baseDelayMs: 100 }, null, ALMOST_ONE, 400],
  ['a given cap', 4, { baseDelayMs: 100, maxDelayMs: 1_000 }, null, ALMOST_ONE, 1_000],
  ['a huge retry number stays capped', 5_000, { maxDelayMs: 2_000 }, null, ALMOST_ONE, 2_000],
  ['a negative retry counts as the first', -3, { baseDelayMs: 100 }, null, ALMOST_ONE, 100],
  ['a fractional retry counts as its whole part', 1.9, { baseDelayMs: 100 }, null, ALMOST_ONE, 200],
  ['a zero base never waits', 3, { baseDelayMs: 0 }, null, ALMOST_ONE, 0],
  ['a negative cap counts as 0', 3, { maxDelayMs: -1 }, null, ALMOST_ONE, 0],
  ['Retry-After seconds win over the backoff', 0, {}, '2', 0, 2_000],
  ['Retry-After seconds may have a fraction', 0, {}, '1.5', 0, 1_500],
  ['Retry-After 0 means now', 4, {}, '0', ALMOST_ONE, 0],
  ['Retry-After is capped at 10 minutes by default', 0, {}, '3600', 0, 600_000],
  ['Retry-After is capped at maxRetryAfterMs', 0, { maxRetryAfterMs: 5_000 }, '120', 0, 5_000],
  ['Retry-After is not capped by maxDelayMs', 0, { maxDelayMs: 1_000 }, '3', 0, 3_000],
  ['Retry-After as an HTTP date', 0, {}, 'Mon, 01 Jan 2024 00:00:03 GMT', 0, 3_000],
  ['Retry-After as a date already past', 0, {}, 'Sun, 31 Dec 2023 23:59:00 GMT', ALMOST_ONE, 0],
  ['an unparseable Retry-After falls back to the backoff', 1, {}, 'soon', ALMOST_ONE, 2_000],
  ['a negative Retry-After falls back to the backoff', 1, {}, '-5', ALMOST_ONE, 2_000],
  ['an empty Retry-After falls back to the backoff', 1, {}, ' ', ALMOST_ONE, 2_000],
];

describe('backoffDelayMs', () => {
  it.each(CASES)('%s', (_what, retry, options, retryAfter, random, expected) => {
    expect(backoffDelayMs(retry, options, retryAfter, () => random, NOW)).toBe(expected);
  });

  it('documents its defaults', () => {
    expect(DEFAULT_BACKOFF_OPTIONS).toEqual({
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      maxRetryAfterMs: 600_000,
    });
  });

  it('draws whole milliseconds spread over [0, ceiling] with the real random source', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(3, { baseDelayMs: 100 }));
    expect(delays.every((delay) => Number.isInteger(delay) && delay >= 0 && delay <= 800)).toBe(true);
    // With 2,000 uniform draws over 801 values, each half of the range is hit hundreds of times.
    expect(delays.filter((delay) => delay < 400).length).toBeGreaterThan(500);
    expect(delays.filter((delay) => delay >= 400).length).toBeGreaterThan(500);
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['120', 120_000],
    [' 7 ', 7_000],
    ['Mon, 01 Jan 2024 00:01:00 GMT', 60_000],
    ['Sun, 31 Dec 2023 00:00:00 GMT', 0],
  ] as const)('reads %j', (header, expected) => {
    expect(parseRetryAfterMs(header, NOW)).toBe(expected);
  });

  it.each([null, undefined, '', 'soon', '-1', '1e3', '12abc'])('ignores %j', (header) => {
    expect(parseRetryAfterMs(header, NOW)).toBeUndefined();
  });
});
