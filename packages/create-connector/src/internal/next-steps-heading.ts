import { relative } from 'node:path';

/**
 * The line before the next steps: `Next, from <path>:` with `from` relative to `cwd`, or `Next:` when the
 * commands run where the user already is (a relative path of `.` reads as a typo).
 */
export function nextStepsHeading(cwd: string, from: string): string {
  const path = relative(cwd, from);
  return path === '' ? 'Next:' : `Next, from ${path}:`;
}
