/**
 * Every error code `@sdk/datasource-bridge` raises. The code is what to branch on, since it survives
 * serialisation where the class does not.
 */
export type BridgeErrorCode =
  | 'BRIDGE_CONFIG'
  | 'BRIDGE_ASYNC_SPEC'
  | 'BRIDGE_SCHEMA'
  | 'BRIDGE_STATE'
  | 'BRIDGE_SOURCE_FAILED';

const baseMarker = Symbol.for('@sdk/datasource-bridge/BridgeError');

/** Options every {@link BridgeError} accepts. */
export interface BridgeErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
  /**
   * Whether the Panoply-style runner may retry the `read` that failed. Defaults to `false`: a bridge
   * error means the connector or its input is wrong, and the same call would fail again.
   */
  retryable?: boolean;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so that a log
 * line reads well without the stack. Use {@link BridgeError.isInstance} rather than `instanceof` when
 * several copies of the package may be installed.
 */
export class BridgeError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: BridgeErrorCode;
  /** Read by the Panoply-style runner: whether the failed `read` may be tried again. */
  readonly retryable: boolean;

  constructor(code: BridgeErrorCode, message: string, options: BridgeErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/datasource-bridge/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/datasource-bridge`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => BridgeError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance was called on
    const marker = markerOf(this);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}

function markerOf(errorClass: { readonly name: string }): symbol {
  return errorClass === BridgeError ? baseMarker : Symbol.for(`@sdk/datasource-bridge/${errorClass.name}`);
}
