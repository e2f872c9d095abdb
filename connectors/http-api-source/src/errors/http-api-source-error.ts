import type { FailureType } from '@sdk/stream-cdk';

/**
 * Every error code `@connectors/http-api-source` raises. The code is what to branch on, since it
 * survives serialisation (and the ERROR trace's `internal_message`) where the class does not.
 */
export type HttpApiSourceErrorCode = 'HTTP_API_STATE_INVALID' | 'HTTP_API_RESPONSE_INVALID';

const baseMarker = Symbol.for('@connectors/http-api-source/HttpApiSourceError');

/** Options every {@link HttpApiSourceError} accepts. */
export interface HttpApiSourceErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
  /** How an Airbyte ERROR trace classifies the failure. Defaults to `system_error`. */
  failureType?: FailureType;
}

/**
 * Base class of every error this connector throws. Messages start with the code in brackets so that
 * a log line reads well without the stack. Use {@link HttpApiSourceError.isInstance} rather than
 * `instanceof` when several copies of the package may be loaded.
 */
export class HttpApiSourceError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: HttpApiSourceErrorCode;
  /** How an Airbyte ERROR trace classifies this failure. */
  readonly failureType: FailureType;

  constructor(code: HttpApiSourceErrorCode, message: string, options: HttpApiSourceErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.failureType = options.failureType ?? 'system_error';
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@connectors/http-api-source/${new.target.name}`), {
      value: true,
    });
  }

  /**
   * True when `error` is this class (or a subclass) from any copy of this package.
   * Called on a subclass, it checks for that subclass.
   */
  static isInstance<T extends abstract new (...args: never[]) => HttpApiSourceError>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    const prefix = '@connectors/http-api-source/';
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance was called on, so subclasses check their own marker.
    const marker = Object.is(this, HttpApiSourceError) ? baseMarker : Symbol.for(`${prefix}${this.name}`);
    return (error as Record<symbol, unknown>)[marker] === true;
  }
}
