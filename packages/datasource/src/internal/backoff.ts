/** Exponential backoff without jitter: base, 2x base, 4x base... capped at `maxDelayMs`. */
export function backoffDelayMs(retryNumber: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
}

/**
 * Resolves after `delayMs`. With `keepAlive: false` (the default) the timer is unref'd, so a pending
 * sleep alone never keeps the process up; callers that must finish pass `true`.
 */
export function sleepMs(delayMs: number, keepAlive = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, delayMs);
    if (!keepAlive) timer.unref?.();
  });
}
