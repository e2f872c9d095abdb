import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StateFileError } from '../errors/state-file-error';
import type { SinkCheckpoint } from '../writer/sink';

/** The merged state of a run, as saved between runs. */
export type RunState = Record<string, unknown>;

/** Everything a state file holds (see {@link readStateFile}). */
export interface StateFileContents {
  /** The merged state of the committed batches; `undefined` when no batch was committed yet. */
  readonly state: RunState | undefined;
  /** Identifies the run across resumes (part of every batch's deduplication id). */
  readonly runId?: string;
  /** Batches committed by the run so far (the next batch's ordinal is this + 1). */
  readonly batchCount?: number;
  /** Where the sink's output stood when the state was saved (exactly-once sinks only). */
  readonly sinkCheckpoint?: SinkCheckpoint;
}

/** Extra fields of {@link saveStateFile}. */
export interface SaveStateFileExtras {
  runId?: string;
  batchCount?: number;
  sinkCheckpoint?: SinkCheckpoint;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a state file written by {@link saveStateFile} (any version). Resolves `undefined` when the
 * file does not exist; throws {@link StateFileError} when it cannot be read or is malformed.
 */
export async function readStateFile(filePath: string): Promise<StateFileContents | undefined> {
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
  if (!isObject(parsed)) throw new StateFileError(`state file ${filePath} is not a JSON object`);
  const { state, runId, batchCount, sinkCheckpoint } = parsed;
  // `null`: written before the first batch was committed (it holds the run id and output position).
  if (state !== null && !isObject(state)) {
    throw new StateFileError(`state file ${filePath} has no "state" object`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(runId))) {
    throw new StateFileError(`state file ${filePath} has a malformed "runId"`);
  }
  if (batchCount !== undefined && (!Number.isSafeInteger(batchCount) || (batchCount as number) < 0)) {
    throw new StateFileError(`state file ${filePath} has a malformed "batchCount"`);
  }
  if (sinkCheckpoint !== undefined && !isObject(sinkCheckpoint)) {
    throw new StateFileError(`state file ${filePath} has a malformed "sinkCheckpoint"`);
  }
  return {
    state: state === null ? undefined : (state as RunState),
    ...(runId === undefined ? {} : { runId: runId as string }),
    ...(batchCount === undefined ? {} : { batchCount: batchCount as number }),
    ...(sinkCheckpoint === undefined ? {} : { sinkCheckpoint: sinkCheckpoint as SinkCheckpoint }),
  };
}

/**
 * Reads the state of a state file written by {@link saveStateFile}. Resolves `undefined` when the
 * file does not exist or no batch was committed yet; throws {@link StateFileError} when it cannot be
 * read or is not a JSON object with a state.
 */
export async function loadStateFile(filePath: string): Promise<RunState | undefined> {
  return (await readStateFile(filePath))?.state;
}

/**
 * Replaces the state file atomically: writes a temporary file next to it, syncs it, renames it over
 * the old one and syncs the directory, so a crash leaves either the old or the new state, never a
 * torn one. `state` is `null` before the first batch is committed. Throws {@link StateFileError}
 * when it cannot be written, or when `state` is not JSON (a bigint, a cycle).
 */
export async function saveStateFile(
  filePath: string,
  state: RunState | null,
  extras: SaveStateFileExtras = {},
): Promise<void> {
  const temporaryPath = join(dirname(filePath), `.${basename(filePath)}.${process.pid}.tmp`);
  let body: string;
  try {
    body = `${JSON.stringify(
      {
        version: 2,
        savedAt: new Date().toISOString(),
        ...(extras.runId === undefined ? {} : { runId: extras.runId }),
        ...(extras.batchCount === undefined ? {} : { batchCount: extras.batchCount }),
        state,
        ...(extras.sinkCheckpoint === undefined ? {} : { sinkCheckpoint: extras.sinkCheckpoint }),
      },
      null,
      2,
    )}\n`;
  } catch (error) {
    throw new StateFileError(
      `the state to save in ${filePath} is not JSON (${error instanceof Error ? error.message : String(error)}); report only JSON values with state()`,
      { cause: error },
    );
  }
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
  await syncDirectory(dirname(filePath));
}

// Makes the rename itself durable. Some file systems refuse to sync a directory; the rename is then
// as durable as they make it.
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync.
  } finally {
    await handle?.close();
  }
}
