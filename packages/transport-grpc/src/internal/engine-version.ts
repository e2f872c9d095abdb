import { progressEngineVersion } from '../plugin-provider.js';

/** The leading `year.release` numbers of an `Engine.Version`, or undefined when it has none. */
function versionParts(version: string): [number, number] | undefined {
  const match = /^\s*(\d+)\.(\d+)/.exec(version);
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2])];
}

const [minimumYear, minimumRelease] = versionParts(progressEngineVersion) as [number, number];

/**
 * True when an engine reporting `engineVersion` (`Engine.Version`) understands `update_progress` and
 * message priorities: its year.release is at least {@link progressEngineVersion}. Unparseable versions
 * count as older.
 */
export function engineUnderstandsProgress(engineVersion: string): boolean {
  const parts = versionParts(engineVersion);
  if (parts === undefined) return false;
  const [year, release] = parts;
  return year > minimumYear || (year === minimumYear && release >= minimumRelease);
}
