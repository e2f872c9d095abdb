// The same backoff, option for option and default for default, lives in @sdk/datasource
// (src/retry/backoff.ts): the two packages may not import each other (layers.json), so each keeps a copy,
// and both run the same table of cases (backoff.test.ts) to stay in step.

/** How long {@link backoffDelayMs} waits. Every field is optional; the defaults are {@link DEFAULT_BACKOFF_OPTIONS}. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay; doubles per retry. Default 1 000 ms. */
  readonly baseDelayMs?: number;
  /** Cap of the computed (jittered) delay's ceiling. Default 60 000 ms. */
  readonly maxDelayMs?: number;
  /** Cap of a server-given delay (`Retry-After`). Default 600 000 ms (10 minutes). */
  readonly maxRetryAfterMs?: number;
}

/** The defaults of {@link BackoffOptions}: 1 000 ms base, 60 000 ms cap, `Retry-After` capped at 600 000 ms. */
export const DEFAULT_BACKOFF_OPTIONS: Readonly<Required<BackoffOptions>> = Object.freeze({
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 600_000,
});

/**
 * Milliseconds to wait before retry number `retry` (0 for the first retry, i.e. after the first failed
 * attempt). A valid `Retry-After` (delay seconds or an HTTP date) wins, capped at `maxRetryAfterMs`.
 * Otherwise exponential backoff with full jitter: a whole number drawn uniformly from
 * `[0, min(maxDelayMs, baseDelayMs * 2^retry)]`, so that clients failing together spread out instead of
 * retrying in step. `random` (default `Math.random`, a number in [0, 1)) and `nowMs` (default `Date.now()`,
 * to resolve an HTTP date) are there for tests. A negative or fractional `retry` counts as its whole part,
 * at least 0; negative or non-finite delays count as 0.
 */
export function backoffDelayMs(
  retry: number,
  options: BackoffOptions = {},
  retryAfter: string | null = null,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  const serverDelayMs = parseRetryAfterMs(retryAfter, nowMs);
  if (serverDelayMs !== undefined) {
    return Math.min(
      serverDelayMs,
      delayOption(options.maxRetryAfterMs, DEFAULT_BACKOFF_OPTIONS.maxRetryAfterMs),
    );
  }
  const base = delayOption(options.baseDelayMs, DEFAULT_BACKOFF_OPTIONS.baseDelayMs);
  const cap = delayOption(options.maxDelayMs, DEFAULT_BACKOFF_OPTIONS.maxDelayMs);
  const exponent = Number.isFinite(retry) ? Math.max(0, Math.floor(retry)) : 0;
  // 2^exponent overflows to Infinity for absurd retry numbers; the cap still bounds the result.
  const ceiling = Math.min(cap, base * 2 ** exponent);
  return Math.round(random() * ceiling);
}

/**
 * A `Retry-After` header in milliseconds: delay seconds (`"120"`, `"1.5"`) or an HTTP date (a date in
 * the past gives 0). Undefined when the header is absent, empty or unparseable.
 */
export function parseRetryAfterMs(
  header: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only dates: Date.parse also accepts bare numbers such as "-5" that are not a valid Retry-After.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function delayOption(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return Number.isFinite(value) && value > 0 ? value : 0;
}
