/**
 * Every error code `@connectors/postgres-source` raises. Each code has its own error class; the code is
 * what to branch on, since it survives serialisation where the class does not.
 */
export type PostgresSourceErrorCode =
  | 'POSTGRES_UNREACHABLE'
  | 'POSTGRES_CONNECTION_LOST'
  | 'POSTGRES_TRANSIENT'
  | 'POSTGRES_AUTH_FAILED'
  | 'POSTGRES_DATABASE_NOT_FOUND'
  | 'POSTGRES_TABLE_NOT_FOUND'
  | 'POSTGRES_NO_PRIMARY_KEY'
  | 'POSTGRES_INVALID_INCREMENTAL_KEY'
  | 'POSTGRES_PERMISSION_DENIED'
  | 'POSTGRES_INVALID_STATE'
  | 'POSTGRES_QUERY_FAILED'
  | 'POSTGRES_THROWAWAY_CLUSTER';

const baseMarker = Symbol.for('@connectors/postgres-source/PostgresSourceError');

/** Options every {@link PostgresSourceError} accepts. */
export interface PostgresSourceErrorOptions {
  /** The underlying error (a `pg` or socket error), kept for debugging. Defaults to none. */
  cause?: unknown;
}

/**
 * Base class of every error this connector throws. `retryable` tells the `@sdk/datasource` runner
 * whether calling `read` again may succeed (it retries only when this is not `false`). Messages start
 * with the code in brackets and never contain a password. Use {@link PostgresSourceError.isInstance}
 * rather than `instanceof` when several copies of the package may be loaded.
 */
export class PostgresSourceError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: PostgresSourceErrorCode;
  /** Whether the runner may retry the `read` that failed. */
  readonly retryable: boolean;

  constructor(
    code: PostgresSourceErrorCode,
    message: string,
    retryable: boolean,
    options: PostgresSourceErrorOptions = {},
  ) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = retryable;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@connectors/postgres-source/${new.target.name}`), {
      value: true,
    });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of this package.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => PostgresSourceError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    const prefix = '@connectors/postgres-source';
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on, so subclasses check their own marker.
    const marker = Object.is(this, PostgresSourceError) ? baseMarker : Symbol.for(`${prefix}/${this.name}`);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
