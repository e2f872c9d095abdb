import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/** Codes of failures inside a capture session. */
export type FlowSessionErrorCode = 'FLOW_ACKNOWLEDGEMENT' | 'FLOW_TASK_FAILED';

/**
 * A capture session failed: the runtime acknowledged more checkpoints than were pending
 * (`FLOW_ACKNOWLEDGEMENT`), or a capture task threw or finished with documents it never
 * checkpointed (`FLOW_TASK_FAILED`).
 */
export class FlowSessionError extends FlowShimError {
  /** Name of the task involved; empty when the session as a whole failed. */
  readonly taskName: string;

  constructor(
    code: FlowSessionErrorCode,
    taskName: string,
    message: string,
    options: FlowShimErrorOptions = {},
  ) {
    super(code, taskName ? `task '${taskName}': ${message}` : message, options);
    this.taskName = taskName;
  }
}
