/**
 * Every error code `@sdk/create-connector` raises. Each code has its own error class; the code is what
 * to branch on, since it survives serialisation where the class does not.
 */
export type CreateConnectorErrorCode =
  | 'CREATE_CONNECTOR_INVALID_NAME'
  | 'CREATE_CONNECTOR_UNKNOWN_KIND'
  | 'CREATE_CONNECTOR_TARGET_EXISTS'
  | 'CREATE_CONNECTOR_USAGE'
  | 'CREATE_CONNECTOR_TEMPLATE';

const markerFor = (className: string): symbol => Symbol.for(`@sdk/create-connector/${className}`);
const baseMarker = markerFor('CreateConnectorError');

/** Options every {@link CreateConnectorError} accepts. */
export interface CreateConnectorErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets so that the
 * command line can print them without a stack. Use {@link CreateConnectorError.isInstance} rather than
 * `instanceof` when several copies of the package may be installed.
 */
export class CreateConnectorError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: CreateConnectorErrorCode;

  constructor(code: CreateConnectorErrorCode, message: string, options: CreateConnectorErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, markerFor(new.target.name), { value: true });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of `@sdk/create-connector`.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => CreateConnectorError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on, so subclasses check their own marker.
    const marker = Object.is(this, CreateConnectorError) ? baseMarker : markerFor(this.name);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
