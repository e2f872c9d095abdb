/**
 * Every error code `@sdk/stream-cdk` raises. The code is what to branch on, since it survives
 * serialisation where the class does not.
 */
export type StreamCdkErrorCode =
  | 'CDK_CONFIG_INVALID'
  | 'CDK_STATE_INVALID'
  | 'CDK_CATALOG_INVALID'
  | 'CDK_SLICE_INVALID'
  | 'CDK_CLI_USAGE'
  | 'CDK_STREAM_FAILED'
  | 'CDK_SYNC_FAILED'
  | 'CDK_HTTP_STATUS'
  | 'CDK_HTTP_NETWORK'
  | 'CDK_HTTP_TIMEOUT'
  | 'CDK_AUTH_FAILED'
  | 'CDK_PAGINATION_LOOP'
  | 'CDK_HTTP_STREAM_INVALID'
  | 'CDK_OPTION_INVALID'
  | 'CDK_PROTOCOL_VIOLATION';

/**
 * How the Airbyte platform should treat a failure: `config_error` (the user must fix something),
 * `transient_error` (retrying later may help) or `system_error` (a bug or an unexpected answer).
 */
export type FailureType = 'system_error' | 'config_error' | 'transient_error';

const baseMarker = Symbol.for('@sdk/stream-cdk/StreamCdkError');

/** Options every {@link StreamCdkError} accepts. */
export interface StreamCdkErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
  /** Failure classification reported in ERROR traces. Defaults to the class's own default. */
  failureType?: FailureType;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so that a
 * log line reads well without the stack. Use {@link StreamCdkError.isInstance} rather than
 * `instanceof` when several copies of the package may be installed.
 */
export class StreamCdkError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: StreamCdkErrorCode;
  /** How an ERROR trace classifies this failure. */
  readonly failureType: FailureType;

  constructor(code: StreamCdkErrorCode, message: string, options: StreamCdkErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.failureType = options.failureType ?? 'system_error';
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/stream-cdk/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/stream-cdk`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => StreamCdkError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    const marker =
      // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass the check was called on, by design.
      (this as unknown) === StreamCdkError ? baseMarker : Symbol.for(`@sdk/stream-cdk/${this.name}`);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
