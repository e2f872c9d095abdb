/**
 * Every error code `@sdk/arrow-chunker` raises. Each code has its own error class; the code is what
 * to branch on, since it survives serialisation where the class does not.
 */
export type ChunkerErrorCode =
  | 'CHUNKER_CONFIG'
  | 'CHUNKER_INVALID_IPC'
  | 'CHUNKER_TRUNCATED_STREAM'
  | 'CHUNKER_UNTERMINATED_STREAM'
  | 'CHUNKER_CLOSED'
  | 'CHUNKER_STREAM_TOO_LARGE'
  | 'CHUNKER_ROW_SCHEMA_MISMATCH'
  | 'CHUNKER_UNSUPPORTED_TYPE'
  | 'CHUNKER_INVALID_SOURCE';

const baseMarker = Symbol.for('@sdk/arrow-chunker/ChunkerError');

/** Options every {@link ChunkerError} accepts. */
export interface ChunkerErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so that a
 * log line reads well without the stack. Use {@link ChunkerError.isInstance} rather than `instanceof`
 * when several copies of the package may be installed.
 */
export class ChunkerError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: ChunkerErrorCode;

  constructor(code: ChunkerErrorCode, message: string, options: ChunkerErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/arrow-chunker/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/arrow-chunker`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => ChunkerError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on, so subclasses check their own marker.
    const marker = Object.is(this, ChunkerError) ? baseMarker : Symbol.for(`@sdk/arrow-chunker/${this.name}`);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
