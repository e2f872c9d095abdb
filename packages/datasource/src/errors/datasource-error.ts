/**
 * Every error code `@sdk/datasource` raises. Each code has its own error class; the code is what to
 * branch on, since it survives serialisation where the class does not.
 */
export type DatasourceErrorCode =
  | 'DATASOURCE_SOURCE'
  | 'DATASOURCE_TOKEN_VALIDATION'
  | 'DATASOURCE_INCORRECT_PARAM'
  | 'DATASOURCE_NORMALIZED'
  | 'DATASOURCE_CONFIG'
  | 'DATASOURCE_INVALID_RECORD'
  | 'DATASOURCE_WRITER_CLOSED'
  | 'DATASOURCE_SEND_FAILED'
  | 'DATASOURCE_STATE_CONTRACT'
  | 'DATASOURCE_MODULE_CONTRACT'
  | 'DATASOURCE_STATE_FILE'
  | 'DATASOURCE_BACKGROUND_TIMEOUT'
  | 'DATASOURCE_READ_FAILED'
  | 'DATASOURCE_CHECKPOINT_MISMATCH';

const baseMarker = Symbol.for('@sdk/datasource/DatasourceError');

/** Options every {@link DatasourceError} accepts. */
export interface DatasourceErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
  /**
   * Whether running the failed step again may succeed. The runner retries `read` only when this is
   * not `false`. Defaults to `true`, as Panoply's `PanoplyException` does.
   */
  retryable?: boolean;
}

/**
 * Base class of every error this package throws, and the `PanoplyException` of this port: it carries
 * `retryable` (default `true`). Messages start with the code in brackets so that a log line reads well
 * without the stack. Use {@link DatasourceError.isInstance} rather than `instanceof` when several
 * copies of the package may be installed.
 */
export class DatasourceError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: DatasourceErrorCode;
  /** Whether the runner may retry the step that failed. */
  readonly retryable: boolean;

  constructor(code: DatasourceErrorCode, message: string, options: DatasourceErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? true;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/datasource/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/datasource`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => DatasourceError>(
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
  return errorClass === DatasourceError ? baseMarker : Symbol.for(`@sdk/datasource/${errorClass.name}`);
}

/**
 * Whether an error allows a retry: anything whose `retryable` property is exactly `false` does not,
 * everything else (plain `Error`s included) does, matching Panoply's runner contract.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  return (error as { retryable?: unknown }).retryable !== false;
}
