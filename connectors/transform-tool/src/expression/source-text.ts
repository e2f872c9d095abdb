import { type ExpressionPosition, TransformError, type TransformErrorCode } from '../errors/transform-error';

/** An expression's text and the name it is reported under (`Filter`, `Formula 'x'`). */
export interface SourceText {
  /** Name used in error messages. */
  readonly name: string;
  /** The expression as written in the config. */
  readonly text: string;
}

/** The 1-based line and column of `offset` in `source`. */
export function positionOf(source: SourceText, offset: number): ExpressionPosition {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < source.text.length; index += 1) {
    if (source.text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { expressionName: source.name, offset, line, column: offset - lineStart + 1 };
}

/** A TransformError about `source` at `offset`, with the offending line and a caret under the spot. */
export function expressionError(
  code: TransformErrorCode,
  source: SourceText,
  offset: number,
  message: string,
): TransformError {
  const position = positionOf(source, offset);
  const lineText = source.text.split('\n')[position.line - 1] ?? '';
  const caret = `${' '.repeat(position.column - 1)}^`;
  return new TransformError(
    code,
    `${source.name}, line ${position.line}, column ${position.column}: ${message}\n  ${lineText}\n  ${caret}`,
    { position },
  );
}
