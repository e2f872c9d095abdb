import { DEFAULT_BACKOFF_OPTIONS } from './backoff';

/**
 * How {@link HttpStream} retries. Every field has a default. The delays are those of
 * {@link backoffDelayMs}: a server's `Retry-After` wins (capped), else exponential backoff with full jitter.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries: number;
  /** Ceiling of the first retry's delay; doubles per retry; the delay is drawn from [0, ceiling]. Default 1 000 ms. */
  baseDelayMs: number;
  /** Cap of the backoff's ceiling. Default 60 000 ms. */
  maxDelayMs: number;
  /** Cap of a server's `Retry-After`. Default 600 000 ms. */
  maxRetryAfterMs: number;
  /** Timeout of one attempt (headers and body). Default 30 000 ms. */
  timeoutMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 5,
  ...DEFAULT_BACKOFF_OPTIONS,
  timeoutMs: 30_000,
});

/** True for statuses worth retrying: 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
