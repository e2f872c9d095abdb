/** How {@link HttpStream} retries. Every field has a default. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries: number;
  /** First backoff delay; doubles per retry. Default 1 000 ms. */
  baseDelayMs: number;
  /** Cap of the computed backoff delay. Default 60 000 ms. */
  maxDelayMs: number;
  /** Cap of a server's `Retry-After`. Default 600 000 ms. */
  maxRetryAfterMs: number;
  /** Timeout of one attempt (headers and body). Default 30 000 ms. */
  timeoutMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 600_000,
  timeoutMs: 30_000,
});

/** True for statuses worth retrying: 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `retry` (0 for the first retry). A valid `Retry-After`
 * (seconds or an HTTP date) wins, capped at `maxRetryAfterMs`; otherwise exponential backoff
 * `baseDelayMs * 2^retry`, capped at `maxDelayMs`, with "equal jitter": between half and all of it.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  retryAfterHeader: string | null = null,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  const retryAfterMs = parseRetryAfterMs(retryAfterHeader, nowMs);
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** `Retry-After` in milliseconds, or undefined when absent or unparseable. */
export function parseRetryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
