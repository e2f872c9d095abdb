/** Comparison operators (`<>` is parsed as `!=`); their result is boolean. */
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
/** Arithmetic operators on numbers; `+` also joins strings. */
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
/** Three-valued logical operators. */
export type LogicalOperator = 'and' | 'or';

/** A parsed expression. Every node keeps the offset of its first (or operator) token for errors. */
export type ExpressionNode =
  | { readonly kind: 'literal'; readonly value: number | string | boolean | null; readonly offset: number }
  | { readonly kind: 'column'; readonly name: string; readonly offset: number }
  | { readonly kind: 'negate'; readonly operand: ExpressionNode; readonly offset: number }
  | { readonly kind: 'not'; readonly operand: ExpressionNode; readonly offset: number }
  | {
      readonly kind: 'binary';
      readonly operator: ComparisonOperator | ArithmeticOperator | LogicalOperator;
      readonly left: ExpressionNode;
      readonly right: ExpressionNode;
      readonly offset: number;
    }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly ExpressionNode[];
      readonly offset: number;
    };
