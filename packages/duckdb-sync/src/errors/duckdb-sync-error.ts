/**
 * Every error code `@sdk/duckdb-sync` raises. The code is what to branch on, since it survives
 * serialisation where the class does not.
 *
 * - `SYNC_USAGE`: bad options or command-line arguments.
 * - `SYNC_CONFIG`: a config file that cannot be read, an unknown stream name.
 * - `SYNC_PROTOCOL`: the source broke the Airbyte protocol (a catalog, a record or a state that is not valid).
 * - `SYNC_SCHEMA`: a stream's name or schema cannot become a table (a reserved name, a clash).
 * - `SYNC_SOURCE_FAILED`: the source reported a failure or exited non-zero.
 * - `SYNC_DATABASE`: DuckDB refused a statement (a locked or corrupt file, a query error).
 */
export type DuckDbSyncErrorCode =
  | 'SYNC_USAGE'
  | 'SYNC_CONFIG'
  | 'SYNC_PROTOCOL'
  | 'SYNC_SCHEMA'
  | 'SYNC_SOURCE_FAILED'
  | 'SYNC_DATABASE';

const baseMarker = Symbol.for('@sdk/duckdb-sync/DuckDbSyncError');

/** Options every {@link DuckDbSyncError} accepts. */
export interface DuckDbSyncErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so that a log
 * line reads well without the stack. Use {@link DuckDbSyncError.isInstance} rather than `instanceof` when
 * several copies of the package may be installed.
 */
export class DuckDbSyncError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: DuckDbSyncErrorCode;

  constructor(code: DuckDbSyncErrorCode, message: string, options: DuckDbSyncErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/duckdb-sync/${new.target.name}`), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/duckdb-sync`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => DuckDbSyncError>(
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
  return errorClass === DuckDbSyncError ? baseMarker : Symbol.for(`@sdk/duckdb-sync/${errorClass.name}`);
}
