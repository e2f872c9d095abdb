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
