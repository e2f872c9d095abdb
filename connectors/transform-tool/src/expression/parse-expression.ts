import type { ExpressionNode } from './ast';
import { expressionError, type SourceText } from './source-text';
import { type Token, tokenize } from './tokenize';

const comparisonOperators = new Set(['==', '!=', '<', '<=', '>', '>=']);
// Deep nesting would overflow the stack of a recursive parser; no real expression comes close.
const maxDepth = 200;

/**
 * Parses an expression (grammar, loosest first: `or`, `and`, `not`, one comparison, `+ -`, `* / %`,
 * unary `-`, then literals, columns, calls and parentheses). Throws `TRANSFORM_SYNTAX` with the
 * position of the offending token.
 */
export function parseExpression(source: SourceText): ExpressionNode {
  const tokens = tokenize(source);
  let index = 0;
  let depth = 0;
  const peek = (): Token => tokens[index] as Token;
  const describe = (token: Token): string =>
    token.kind === 'end' ? 'end of expression' : token.kind === 'string' ? 'a string' : `'${token.text}'`;
  const fail = (token: Token, expected: string): never => {
    throw expressionError(
      'TRANSFORM_SYNTAX',
      source,
      token.offset,
      `expected ${expected} but found ${describe(token)}`,
    );
  };
  const isOperator = (text: string): boolean => {
    const token = peek();
    return token.kind === 'operator' && token.text === text;
  };
  const isKeyword = (text: string): boolean => {
    const token = peek();
    return token.kind === 'keyword' && token.text === text;
  };
  // Long operator chains (`a + a + ... + a`) and calls build deep trees without deep parser recursion;
  // the type checker and evaluator recurse over the tree, so the tree's height is bounded too.
  const heights = new WeakMap<ExpressionNode, number>();
  const built = <T extends ExpressionNode>(node: T): T => {
    const children =
      node.kind === 'binary'
        ? [node.left, node.right]
        : node.kind === 'call'
          ? node.args
          : node.kind === 'negate' || node.kind === 'not'
            ? [node.operand]
            : [];
    // A loop, not Math.max(...): a call may have more arguments than a spread can pass.
    let height = 1;
    for (const child of children) height = Math.max(height, 1 + (heights.get(child) ?? 1));
    if (height > maxDepth) {
      throw expressionError(
        'TRANSFORM_SYNTAX',
        source,
        node.offset,
        `expression nested deeper than ${maxDepth}`,
      );
    }
    heights.set(node, height);
    return node;
  };
  const expect = (text: string): void => {
    if (!isOperator(text)) fail(peek(), `'${text}'`);
    index += 1;
  };
  const nested = <T>(parse: () => T): T => {
    depth += 1;
    if (depth > maxDepth) {
      throw expressionError(
        'TRANSFORM_SYNTAX',
        source,
        peek().offset,
        `expression nested deeper than ${maxDepth}`,
      );
    }
    try {
      return parse();
    } finally {
      depth -= 1;
    }
  };

  const parseOr = (): ExpressionNode =>
    nested(() => {
      let left = parseAnd();
      while (isKeyword('or')) {
        const offset = peek().offset;
        index += 1;
        left = built({ kind: 'binary', operator: 'or', left, right: parseAnd(), offset });
      }
      return left;
    });
  const parseAnd = (): ExpressionNode => {
    let left = parseNot();
    while (isKeyword('and')) {
      const offset = peek().offset;
      index += 1;
      left = built({ kind: 'binary', operator: 'and', left, right: parseNot(), offset });
    }
    return left;
  };
  const parseNot = (): ExpressionNode => {
    if (!isKeyword('not')) return parseComparison();
    const offset = peek().offset;
    index += 1;
    return nested(() => built({ kind: 'not', operand: parseNot(), offset }));
  };
  const parseComparison = (): ExpressionNode => {
    const left = parseAdditive();
    const token = peek();
    if (token.kind !== 'operator' || !comparisonOperators.has(token.text)) return left;
    index += 1;
    const right = parseAdditive();
    const after = peek();
    if (after.kind === 'operator' && comparisonOperators.has(after.text)) {
      // `a < b < c` means something else in every language; make the author say which.
      throw expressionError('TRANSFORM_SYNTAX', source, after.offset, "comparisons do not chain: use 'and'");
    }
    return built({ kind: 'binary', operator: token.text as '==', left, right, offset: token.offset });
  };
  const parseAdditive = (): ExpressionNode => {
    let left = parseMultiplicative();
    while (isOperator('+') || isOperator('-')) {
      const token = peek();
      index += 1;
      left = built({
        kind: 'binary',
        operator: token.text as '+',
        left,
        right: parseMultiplicative(),
        offset: token.offset,
      });
    }
    return left;
  };
  const parseMultiplicative = (): ExpressionNode => {
    let left = parseUnary();
    while (isOperator('*') || isOperator('/') || isOperator('%')) {
      const token = peek();
      index += 1;
      left = built({
        kind: 'binary',
        operator: token.text as '*',
        left,
        right: parseUnary(),
        offset: token.offset,
      });
    }
    return left;
  };
  const parseUnary = (): ExpressionNode => {
    if (!isOperator('-')) return parsePrimary();
    const offset = peek().offset;
    index += 1;
    return nested(() => built({ kind: 'negate', operand: parseUnary(), offset }));
  };
  const parsePrimary = (): ExpressionNode => {
    const token = peek();
    index += 1;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value as number, offset: token.offset };
      case 'string':
        return { kind: 'literal', value: token.text, offset: token.offset };
      case 'column':
        return { kind: 'column', name: token.text, offset: token.offset };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'literal', value: token.text === 'true', offset: token.offset };
        }
        if (token.text === 'null') return { kind: 'literal', value: null, offset: token.offset };
        break;
      case 'identifier': {
        if (!isOperator('(')) return { kind: 'column', name: token.text, offset: token.offset };
        index += 1;
        const args: ExpressionNode[] = [];
        if (!isOperator(')')) {
          args.push(parseOr());
          while (isOperator(',')) {
            index += 1;
            args.push(parseOr());
          }
        }
        expect(')');
        return built({ kind: 'call', name: token.text.toLowerCase(), args, offset: token.offset });
      }
      case 'operator':
        if (token.text === '(') {
          const inner = parseOr();
          expect(')');
          return inner;
        }
        break;
      default:
        break;
    }
    return fail(token, 'a value, column, function call or (');
  };

  const expression = parseOr();
  if (peek().kind !== 'end') fail(peek(), 'an operator or end of expression');
  return expression;
}
