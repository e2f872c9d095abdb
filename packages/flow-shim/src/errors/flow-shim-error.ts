/**
 * Every error code `@sdk/flow-shim` raises. The code is what to branch on: it survives
 * serialisation (a log line, a child process's stderr) where the class does not.
 */
export type FlowShimErrorCode =
  | 'FLOW_CONFIG'
  | 'FLOW_INVALID_JSON'
  | 'FLOW_LINE_TOO_LONG'
  | 'FLOW_UNKNOWN_REQUEST'
  | 'FLOW_INVALID_REQUEST'
  | 'FLOW_INVALID_RESPONSE'
  | 'FLOW_ACKNOWLEDGEMENT'
  | 'FLOW_TASK_FAILED'
  | 'FLOW_VALIDATION'
  | 'FLOW_STATE'
  | 'FLOW_CONNECTOR_OUTPUT'
  | 'FLOW_UNKNOWN_STREAM'
  | 'FLOW_CONNECTOR_EXITED'
  | 'FLOW_RUNTIME_RPC'
  | 'FLOW_INVALID_KEY'
  | 'FLOW_CLI_USAGE';

const baseMarker = Symbol.for('@sdk/flow-shim/FlowShimError');

/** Options every {@link FlowShimError} accepts. */
export interface FlowShimErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so a
 * connector's last stderr line (which the Flow runtime shows to users) reads well without a stack.
 * Use {@link FlowShimError.isInstance} rather than `instanceof` when several copies of the package
 * may be installed.
 */
export class FlowShimError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: FlowShimErrorCode;

  constructor(code: FlowShimErrorCode, message: string, options: FlowShimErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/flow-shim/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/flow-shim`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends FlowShimError>(
    this: abstract new (
      ...args: never[]
    ) => T,
    error: unknown,
  ): error is T {
    if (typeof error !== 'object' || error === null) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on, so subclasses check their own marker.
    const calledOnName: string = (this as unknown as { name: string }).name;
    const marker =
      calledOnName === 'FlowShimError' ? baseMarker : Symbol.for(`@sdk/flow-shim/${calledOnName}`);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
