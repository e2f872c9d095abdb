import type { CapturePlan } from '../connector/capture-connector';
import { CaptureTask, type CaptureTaskHost } from '../connector/capture-task';
import { FlowSessionError } from '../errors/flow-session-error';
import { FlowShimError } from '../errors/flow-shim-error';
import type { ConnectorLogger } from '../io/connector-logger';
import type { ResponseWriter } from '../io/response-writer';
import type { OpenRequest } from '../protocol/capture-request';
import type { JsonValue } from '../protocol/flow-specs';

/** Chunk size of early streaming when it holds nobody up: 64 KiB of text. */
const STREAM_CHUNK_BYTES = 64 * 1024;

interface PendingAcknowledgement {
  resolve: () => void;
  reject: (error: unknown) => void;
}

function bindingStates(state: JsonValue): { [key: string]: JsonValue } {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return {};
  const inner = state.bindingStateV1;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return {};
  return inner;
}

/**
 * One capture session: runs the plan's tasks concurrently, serialises their transactions onto the
 * writer and matches `acknowledge` requests to checkpoints in order.
 */
export class CaptureSession implements CaptureTaskHost {
  readonly bindingCount: number;
  private readonly abortController = new AbortController();
  private readonly pendingAcknowledgements: PendingAcknowledgement[] = [];
  private lockOwner: CaptureTask | undefined;
  private lockWaiters: Array<() => void> = [];
  private readonly tasks: CaptureTask[] = [];

  constructor(
    private readonly request: OpenRequest,
    private readonly plan: CapturePlan,
    private readonly writer: ResponseWriter,
    private readonly logger: ConnectorLogger,
    readonly maxBufferedBytes: number,
    readonly streamChunkBytes: number = STREAM_CHUNK_BYTES,
  ) {
    this.bindingCount = request.capture.bindings.length;
  }

  /**
   * A lone task (the shims' case) streams in small chunks, like any writer would; with several tasks
   * only the one already holding the lock does, so no task's checkpoint waits on another's stream.
   */
  mayStreamEarly(task: CaptureTask): boolean {
    return this.plan.tasks.length === 1 || this.lockOwner === task;
  }

  /** Documents every task emitted so far (for progress). */
  get documents(): number {
    let documents = 0;
    for (const task of this.tasks) documents += task.documents;
    return documents;
  }

  get explicitAcknowledgements(): boolean {
    return this.plan.explicitAcknowledgements === true;
  }

  get stopping(): boolean {
    return this.abortController.signal.aborted;
  }

  /** Asks every task to stop (their signal aborts). */
  stop(reason: unknown): void {
    if (!this.abortController.signal.aborted) this.abortController.abort(reason);
  }

  /** Runs every task; resolves when all returned, rejects with the first task failure. */
  async run(): Promise<void> {
    const bindings = bindingStates(this.request.state);
    const runs = this.plan.tasks.map(async (plan) => {
      const binding = plan.binding === undefined ? undefined : this.request.capture.bindings[plan.binding];
      if (plan.binding !== undefined && binding === undefined) {
        throw new FlowSessionError(
          'FLOW_TASK_FAILED',
          plan.name,
          `binding ${plan.binding} is not in the capture`,
        );
      }
      const task = new CaptureTask(this, {
        name: plan.name,
        ...(plan.binding === undefined ? {} : { binding: plan.binding }),
        ...(binding === undefined ? {} : { stateKey: binding.stateKey, state: bindings[binding.stateKey] }),
        signal: this.abortController.signal,
        logger: this.logger,
      });
      this.tasks.push(task);
      try {
        await plan.run(task);
      } catch (error) {
        this.stop(error);
        if (FlowShimError.isInstance(error)) throw error;
        throw new FlowSessionError('FLOW_TASK_FAILED', plan.name, describe(error), { cause: error });
      } finally {
        this.releaseLock(task);
      }
      if (task.pendingDocuments > 0) {
        if (this.stopping) {
          const dropped = task.discardPending();
          this.logger.info('discarded documents emitted after the last checkpoint', {
            task: task.name,
            dropped,
          });
        } else {
          throw new FlowSessionError(
            'FLOW_TASK_FAILED',
            plan.name,
            `returned with ${task.pendingDocuments} document(s) after its last checkpoint; checkpoint before returning`,
          );
        }
      }
    });
    // Report the failure that happened first, not the first task in plan order: later failures are
    // often just tasks reacting to the stop.
    let firstFailure: { error: unknown } | undefined;
    await Promise.all(
      runs.map((run) =>
        run.catch((error: unknown) => {
          firstFailure ??= { error };
          this.stop(error);
        }),
      ),
    );
    if (firstFailure) {
      this.rejectAcknowledgements(firstFailure.error);
      throw firstFailure.error;
    }
    await this.writer.flush();
  }

  /** Handles `acknowledge`: resolves the oldest `count` pending checkpoints. */
  acknowledge(count: number): void {
    if (!this.explicitAcknowledgements) {
      throw new FlowSessionError(
        'FLOW_ACKNOWLEDGEMENT',
        '',
        'received acknowledge but the session did not ask for explicit acknowledgements',
      );
    }
    if (count > this.pendingAcknowledgements.length) {
      throw new FlowSessionError(
        'FLOW_ACKNOWLEDGEMENT',
        '',
        `received acknowledge for ${count} checkpoint(s) but only ${this.pendingAcknowledgements.length} are pending`,
      );
    }
    for (const pending of this.pendingAcknowledgements.splice(0, count)) pending.resolve();
  }

  async flushEarly(task: CaptureTask, text: string): Promise<void> {
    await this.acquireLock(task);
    await this.writer.writeText(text);
  }

  async commit(task: CaptureTask, text: string, awaitAcknowledgement: boolean): Promise<void> {
    await this.acquireLock(task);
    let acknowledged: Promise<void> | undefined;
    if (this.explicitAcknowledgements) {
      acknowledged = new Promise<void>((resolve, reject) => {
        this.pendingAcknowledgements.push({ resolve, reject });
      });
      // Unawaited acknowledgements must not surface as unhandled rejections.
      acknowledged.catch(() => undefined);
    }
    try {
      await this.writer.writeText(text);
    } finally {
      this.releaseLock(task);
    }
    if (awaitAcknowledgement && acknowledged) await acknowledged;
  }

  private async acquireLock(task: CaptureTask): Promise<void> {
    while (this.lockOwner !== undefined && this.lockOwner !== task) {
      await new Promise<void>((resolve) => this.lockWaiters.push(resolve));
    }
    this.lockOwner = task;
  }

  private releaseLock(task: CaptureTask): void {
    if (this.lockOwner !== task) return;
    this.lockOwner = undefined;
    const waiters = this.lockWaiters;
    this.lockWaiters = [];
    for (const wake of waiters) wake();
  }

  private rejectAcknowledgements(reason: unknown): void {
    for (const pending of this.pendingAcknowledgements.splice(0)) pending.reject(reason);
  }
}

/** `Name: message` for any thrown value. */
export function describe(error: unknown): string {
  if (error instanceof Error)
    return FlowShimError.isInstance(error) ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
