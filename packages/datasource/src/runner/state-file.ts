import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StateFileError } from '../errors/state-file-error';

/** The merged state of a run, as saved between runs. */
export type RunState = Record<string, unknown>;

/**
 * Reads a state file written by {@link saveStateFile}. Resolves `undefined` when the file does not
 * exist; throws {@link StateFileError} when it cannot be read or is not a JSON object.
 */
export async function loadStateFile(filePath: string): Promise<RunState | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`cannot read state file ${filePath}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`state file ${filePath} is not valid JSON`, { cause: error });
  }
  const state = (parsed as { state?: unknown } | null)?.state;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new StateFileError(`state file ${filePath} has no "state" object`);
  }
  return state as RunState;
}

/**
 * Replaces the state file atomically: writes a temporary file next to it, syncs it, then renames it
 * over the old one, so a crash leaves either the old or the new state, never a torn one.
 */
export async function saveStateFile(filePath: string, state: RunState): Promise<void> {
  const temporaryPath = join(dirname(filePath), `.${basename(filePath)}.${process.pid}.tmp`);
  const body = `${JSON.stringify({ version: 1, savedAt: new Date().toISOString(), state }, null, 2)}\n`;
  try {
    const handle = await open(temporaryPath, 'w');
    try {
      await handle.writeFile(body, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, filePath);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw new StateFileError(`cannot write state file ${filePath}`, { cause: error });
  }
}
