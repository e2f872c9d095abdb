export type { CompiledTransform, ParsedTransform } from './compile-transform';
export { compileTransform, parseTransform } from './compile-transform';
export type { ExpressionPosition, TransformErrorCode, TransformErrorOptions } from './errors/transform-error';
export { TransformError } from './errors/transform-error';
export type {
  ArithmeticOperator,
  ComparisonOperator,
  ExpressionNode,
  LogicalOperator,
} from './expression/ast';
export type { BooleanValue, ColumnValue, NumberValue, StringValue } from './expression/column-value';
export { valueAt } from './expression/column-value';
export { evaluateColumns } from './expression/evaluate-columns';
export { parseExpression } from './expression/parse-expression';
export type { SourceText } from './expression/source-text';
export type { Token, TokenKind } from './expression/tokenize';
export { tokenize } from './expression/tokenize';
export type { FunctionName, TypedNode } from './expression/type-check';
export { typeCheck } from './expression/type-check';
export type { ValueType } from './expression/value-type';
export type { FormulaColumnType, FormulaConfig, TransformToolConfig } from './tool-config';
export { parseToolConfig } from './tool-config';
export { TransformTool } from './transform-tool';
