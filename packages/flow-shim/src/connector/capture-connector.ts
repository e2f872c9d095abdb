import type { ConnectorLogger } from '../io/connector-logger';
import type {
  ApplyRequest,
  DiscoverRequest,
  OpenRequest,
  SpecRequest,
  ValidateRequest,
} from '../protocol/capture-request';
import type { DiscoveredBinding, SpecResponse, ValidatedBinding } from '../protocol/capture-response';
import type { CaptureTask } from './capture-task';

/** What `spec` returns: the spec response without `protocol`, which the runner always sets to 3032023. */
export type ConnectorSpec = Omit<SpecResponse, 'protocol'>;

/** Handed to every connector method. */
export interface ConnectorContext {
  /** Structured stderr logger (honours `LOG_LEVEL`). */
  logger: ConnectorLogger;
}

/** One unit of concurrent capture work inside a session, usually one per binding. */
export interface CaptureTaskPlan {
  /** Name used in logs and errors, e.g. the binding's stream name. */
  name: string;
  /**
   * Index into `open.capture.bindings` this task captures for. When set, the task's documents
   * default to this binding and its state lives under the binding's `stateKey`.
   */
  binding?: number;
  /** Does the work: emits documents, checkpoints, returns when done or when `task.signal` aborts. */
  run(task: CaptureTask): Promise<void>;
}

/** What `open` returns: how the session should run. */
export interface CapturePlan {
  /** Ask the runtime for `acknowledge` messages after commits. Defaults to false. */
  explicitAcknowledgements?: boolean;
  /** Tasks run concurrently; the session ends (process exits 0) when all have returned. */
  tasks: CaptureTaskPlan[];
}

/**
 * Base of a capture written directly against Flow. Implement `spec`, `discover`, `validate` and
 * `open`; `apply` defaults to a no-op. Run it with `runCaptureConnector` (or `main`), which owns
 * stdin/stdout, logging, errors and signals.
 */
export abstract class CaptureConnector {
  /** Answers `spec`. Must not require any request field: the image probe sends `{"spec":{}}`. */
  abstract spec(request: SpecRequest, context: ConnectorContext): ConnectorSpec | Promise<ConnectorSpec>;

  /** Answers `discover` with the bindings the endpoint offers. */
  abstract discover(
    request: DiscoverRequest,
    context: ConnectorContext,
  ): DiscoveredBinding[] | Promise<DiscoveredBinding[]>;

  /** Answers `validate`: one resource path per requested binding, same order. Throw to refuse. */
  abstract validate(
    request: ValidateRequest,
    context: ConnectorContext,
  ): ValidatedBinding[] | Promise<ValidatedBinding[]>;

  /** Answers `apply` with an action description; `''` (the default) means nothing was done. */
  apply(_request: ApplyRequest, _context: ConnectorContext): string | Promise<string> {
    return '';
  }

  /** Plans a capture session. Called once per process, before `opened` is sent. */
  abstract open(request: OpenRequest, context: ConnectorContext): CapturePlan | Promise<CapturePlan>;

  /**
   * Convenience for `open`: one task per binding of the request, named after the binding's
   * collection, each running `run` with the task bound to its binding and state.
   */
  protected tasksPerBinding(
    request: OpenRequest,
    run: (task: CaptureTask) => Promise<void>,
  ): CaptureTaskPlan[] {
    return request.capture.bindings.map((binding, index) => ({
      name: binding.collection.name || binding.stateKey || `binding ${index}`,
      binding: index,
      run,
    }));
  }
}
