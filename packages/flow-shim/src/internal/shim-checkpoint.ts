import type { CaptureTask } from '../connector/capture-task';
import type { JsonObject } from '../protocol/flow-specs';

/**
 * A shim's checkpoint. With `awaitAcknowledgement`, resolves once the runtime acknowledged it, or
 * as soon as the task is stopped: a stopped session's checkpoints are never acknowledged, and
 * waiting would hold the process until the runner's shutdown timeout.
 */
export function shimCheckpoint(
  task: CaptureTask,
  updated: JsonObject,
  mergePatch: boolean,
  awaitAcknowledgement: boolean,
): Promise<void> {
  const committed = task.checkpoint(updated, { mergePatch, awaitAcknowledgement });
  if (!awaitAcknowledgement) return committed;
  return new Promise<void>((resolve, reject) => {
    const onStop = () => resolve();
    task.signal.addEventListener('abort', onStop, { once: true });
    if (task.signal.aborted) resolve();
    committed.then(
      () => {
        task.signal.removeEventListener('abort', onStop);
        resolve();
      },
      (error: unknown) => {
        task.signal.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}
