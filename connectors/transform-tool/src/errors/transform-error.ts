/**
 * Every error code `@connectors/transform-tool` raises. The code is what to branch on: it survives the
 * trip to the engine inside the `TRANSPORT_PLUGIN_FAILED` message (`[TRANSFORM_SYNTAX] ...`) where the
 * class does not.
 *
 * - `TRANSFORM_CONFIG`: the tool config XML is malformed or has an unknown element or attribute.
 * - `TRANSFORM_SYNTAX`: an expression does not parse (with its position).
 * - `TRANSFORM_UNKNOWN_COLUMN`: an expression names a column the incoming table does not have.
 * - `TRANSFORM_TYPE`: an expression is ill-typed for the incoming schema (with its position).
 * - `TRANSFORM_SCHEMA`: an incoming table cannot be processed: its schema differs from the one the
 *   output was declared with, or it has a column type the tool cannot filter.
 * - `TRANSFORM_EVALUATION`: a value cannot be stored in its formula column (e.g. out of `int32` range).
 */
export type TransformErrorCode =
  | 'TRANSFORM_CONFIG'
  | 'TRANSFORM_SYNTAX'
  | 'TRANSFORM_UNKNOWN_COLUMN'
  | 'TRANSFORM_TYPE'
  | 'TRANSFORM_SCHEMA'
  | 'TRANSFORM_EVALUATION';

const baseMarker = Symbol.for('@connectors/transform-tool/TransformError');

/** Where in which expression an error is. Offsets count UTF-16 code units from 0; line/column from 1. */
export interface ExpressionPosition {
  /** Which expression: `Filter` or `Formula 'name'`. */
  readonly expressionName: string;
  /** Offset of the offending token in the expression text. */
  readonly offset: number;
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
}

/** Options every {@link TransformError} accepts. All default to absent. */
export interface TransformErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Where in an expression the error is (syntax, type and unknown-column errors). */
  position?: ExpressionPosition;
}

/**
 * The one error class of this connector. Messages start with the code in brackets and, for expression
 * errors, name the expression, line and column and show the text with a caret under the position, so a
 * log line reads well without the stack. Use {@link TransformError.isInstance} rather than `instanceof`.
 */
export class TransformError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: TransformErrorCode;
  /** Position in the expression, when the error is about one. */
  readonly position: ExpressionPosition | undefined;

  constructor(code: TransformErrorCode, message: string, options: TransformErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.position = options.position;
    this.name = new.target.name;
    Object.defineProperty(this, baseMarker, { value: true });
  }

  /** True when `error` is a TransformError from any copy of this package. */
  static isInstance(error: unknown): error is TransformError {
    return (
      typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[baseMarker] === true
    );
  }
}
