/**
 * Every error code `@sdk/amp-input-tool` raises. The code is what to branch on, since it survives
 * serialisation where the class does not.
 */
export type InputToolErrorCode =
  | 'INPUT_TOOL_CONFIG'
  | 'INPUT_TOOL_ANCHOR'
  | 'INPUT_TOOL_SCHEMA'
  | 'INPUT_TOOL_SOURCE_FAILED';

const baseMarker = Symbol.for('@sdk/amp-input-tool/InputToolError');

/** Options every {@link InputToolError} accepts. */
export interface InputToolErrorOptions {
  /** The underlying error, kept for debugging. Defaults to none. */
  cause?: unknown;
  /** For `INPUT_TOOL_SOURCE_FAILED`: the source's `failure_type`. Defaults to none. */
  failureType?: string;
}

/**
 * Base class of every error this package throws. Messages start with the code in brackets and read well
 * without the stack; they never contain a secret of the source's config. Use
 * {@link InputToolError.isInstance} rather than `instanceof` across copies of the package.
 */
export class InputToolError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: InputToolErrorCode;
  /** The Airbyte `failure_type` the source reported, for `INPUT_TOOL_SOURCE_FAILED`. */
  readonly failureType: string | undefined;

  constructor(code: InputToolErrorCode, message: string, options: InputToolErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.failureType = options.failureType;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
    Object.defineProperty(this, Symbol.for(`@sdk/amp-input-tool/${new.target.name}`), { value: true });
  }

  /** True when `error` is this class (or a subclass) from any copy of `@sdk/amp-input-tool`. */
  static isInstance<T extends abstract new (...args: never[]) => InputToolError>(
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
  return errorClass === InputToolError ? baseMarker : Symbol.for(`@sdk/amp-input-tool/${errorClass.name}`);
}
