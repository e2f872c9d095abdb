import { toJsonText } from '@sdk/stream-cdk';
import { FlowConfigError } from '../errors/flow-config-error';
import type { ConnectorLogger } from '../io/connector-logger';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';

/** Options of {@link CaptureTask.checkpoint}. */
export interface CheckpointOptions {
  /** Send the state as an RFC 7396 merge patch (true) or as the whole new state (false). Defaults to true. */
  mergePatch?: boolean;
  /**
   * Resolve only once the runtime acknowledged this checkpoint (needs the plan's
   * `explicitAcknowledgements`; without it, resolves once written). Defaults to false.
   */
  awaitAcknowledgement?: boolean;
}

/** What a task needs from its session; implemented by the runner. */
export interface CaptureTaskHost {
  readonly bindingCount: number;
  readonly maxBufferedBytes: number;
  /** Size at which a task that may stream (see `mayStreamEarly`) writes its buffer out. */
  readonly streamChunkBytes: number;
  /** True when the task can stream before its checkpoint without holding up another task. */
  mayStreamEarly(task: CaptureTask): boolean;
  /** Writes `text` (the task's buffered documents) while holding or taking the transaction lock. */
  flushEarly(task: CaptureTask, text: string): Promise<void>;
  /** Writes documents plus checkpoint atomically, releases the lock, returns the ack promise. */
  commit(task: CaptureTask, text: string, awaitAcknowledgement: boolean): Promise<void>;
}

/**
 * Handle a capture task uses to emit documents and checkpoints. Documents are buffered and only
 * reach stdout together with the task's next checkpoint, in one write, so concurrent tasks never
 * interleave inside a transaction. A task whose buffer grows past the session's limit takes the
 * session's transaction lock and streams early; other tasks then wait for its checkpoint. A task
 * alone in its session streams in 64 KiB chunks, since nobody can be held up.
 */
export class CaptureTask {
  /** Name from the plan, used in logs and errors. */
  readonly name: string;
  /** Binding index the task was planned for, if any. */
  readonly binding: number | undefined;
  /** The binding's `stateKey`, when the task is bound to a binding. */
  readonly stateKey: string | undefined;
  /** This binding's state from `open.state.bindingStateV1[stateKey]`; undefined for a new binding. */
  readonly state: JsonValue | undefined;
  /** Aborted when the session stops (SIGTERM, another task failed). Return promptly when it fires. */
  readonly signal: AbortSignal;
  /** Structured stderr logger. */
  readonly logger: ConnectorLogger;

  private buffer = '';
  private bufferedBytes = 0;
  private bufferedDocuments = 0;
  private checkpointedDocuments = 0;
  private committedCheckpoints = 0;

  constructor(
    private readonly host: CaptureTaskHost,
    init: {
      name: string;
      binding?: number;
      stateKey?: string;
      state?: JsonValue;
      signal: AbortSignal;
      logger: ConnectorLogger;
    },
  ) {
    this.name = init.name;
    this.binding = init.binding;
    this.stateKey = init.stateKey;
    this.state = init.state;
    this.signal = init.signal;
    this.logger = init.logger;
  }

  /** True once the session asked tasks to stop. */
  get stopping(): boolean {
    return this.signal.aborted;
  }

  /** Documents emitted since the last checkpoint (not yet committed). */
  get pendingDocuments(): number {
    return this.bufferedDocuments;
  }

  /** Documents emitted so far: checkpointed ones and those since the last checkpoint. */
  get documents(): number {
    return this.checkpointedDocuments + this.bufferedDocuments;
  }

  /** Checkpoints this task has written. */
  get checkpoints(): number {
    return this.committedCheckpoints;
  }

  /**
   * Emits a document for `binding` (defaults to the task's binding); bigints are written as exact JSON
   * integers. The document is part of the
   * transaction closed by the next {@link checkpoint}. Returns a promise only when the buffer was
   * streamed early (a lone task every 64 KiB, any task past `maxBufferedBytesPerTask`); await it to
   * respect stdout back-pressure.
   */
  captured(doc: JsonObject, binding: number | undefined = this.binding): Promise<void> | undefined {
    return this.capturedJson(toJsonText(doc), binding);
  }

  /**
   * Like {@link captured} for a document already serialised as compact JSON object text (no raw
   * newlines). Not re-parsed or checked: shims use it to skip a copy per record.
   */
  capturedJson(docJson: string, binding: number | undefined = this.binding): Promise<void> | undefined {
    if (
      binding === undefined ||
      !Number.isInteger(binding) ||
      binding < 0 ||
      binding >= this.host.bindingCount
    ) {
      throw new FlowConfigError(
        'binding',
        `task '${this.name}' emitted a document for binding ${binding}, but the capture has ${this.host.bindingCount}`,
      );
    }
    const line = `{"captured":{"binding":${binding},"doc":${docJson}}}\n`;
    // String appends build a rope; V8 flattens it once, when written.
    this.buffer += line;
    this.bufferedBytes += line.length;
    this.bufferedDocuments += 1;
    if (
      this.bufferedBytes >= this.host.maxBufferedBytes ||
      (this.bufferedBytes >= this.host.streamChunkBytes && this.host.mayStreamEarly(this))
    ) {
      const text = this.takeBuffer();
      return this.host.flushEarly(this, text);
    }
    return undefined;
  }

  /**
   * Declares the schema of `binding`'s source documents (a `sourcedSchema` response). Like documents,
   * it is part of the open transaction: the runtime applies it only with the next checkpoint. The
   * runtime rejects schemas that are not closed (`additionalProperties: false` on every object).
   */
  sourcedSchema(documentSchema: JsonObject, binding: number | undefined = this.binding): void {
    if (
      binding === undefined ||
      !Number.isInteger(binding) ||
      binding < 0 ||
      binding >= this.host.bindingCount
    ) {
      throw new FlowConfigError(
        'binding',
        `task '${this.name}' declared a schema for binding ${binding}, but the capture has ${this.host.bindingCount}`,
      );
    }
    const line = `${JSON.stringify({ sourcedSchema: { binding, documentSchema } })}\n`;
    this.buffer += line;
    this.bufferedBytes += line.length;
  }

  /**
   * Closes the current transaction: writes the buffered documents and a checkpoint carrying
   * `updated` (a merge patch unless `mergePatch: false`) in one write. Resolves when written, or
   * when acknowledged if `awaitAcknowledgement` is set.
   */
  checkpoint(updated: JsonObject, options: CheckpointOptions = {}): Promise<void> {
    const mergePatch = options.mergePatch ?? true;
    const state = mergePatch ? { updated, mergePatch: true } : { updated };
    this.buffer += `${toJsonText({ checkpoint: { state } })}\n`;
    const text = this.takeBuffer();
    this.checkpointedDocuments += this.bufferedDocuments;
    this.bufferedDocuments = 0;
    this.committedCheckpoints += 1;
    return this.host.commit(this, text, options.awaitAcknowledgement ?? false);
  }

  /**
   * Checkpoints this binding's state as the merge patch `{"bindingStateV1": {stateKey: state}}`:
   * objects merge into the previous binding state, `null` values delete keys.
   */
  checkpointBinding(state: JsonValue, options: Omit<CheckpointOptions, 'mergePatch'> = {}): Promise<void> {
    if (this.stateKey === undefined) {
      throw new FlowConfigError('stateKey', `task '${this.name}' is not bound to a binding`);
    }
    return this.checkpoint({ bindingStateV1: { [this.stateKey]: state } }, options);
  }

  /** Drops documents emitted since the last checkpoint (they were never written). */
  discardPending(): number {
    const dropped = this.bufferedDocuments;
    this.buffer = '';
    this.bufferedBytes = 0;
    this.bufferedDocuments = 0;
    return dropped;
  }

  private takeBuffer(): string {
    const text = this.buffer;
    this.buffer = '';
    this.bufferedBytes = 0;
    return text;
  }
}
