import { TransformError } from '../errors/transform-error';
import type { ExpressionNode } from './ast';
import { parseExpression } from './parse-expression';

/** A fully parenthesised rendering of the tree, to assert on precedence and associativity. */
function show(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'column':
      return `[${node.name}]`;
    case 'negate':
      return `(-${show(node.operand)})`;
    case 'not':
      return `(not ${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
  }
}

const parse = (text: string) => show(parseExpression({ name: 'Filter', text }));

function syntaxErrorOf(text: string): TransformError {
  try {
    parseExpression({ name: 'Filter', text });
  } catch (error) {
    if (TransformError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected '${text}' not to parse`);
}

describe('parseExpression', () => {
  it.each([
    ['a or b and c', '([a] or ([b] and [c]))'],
    ['not a and b', '((not [a]) and [b])'],
    ['not a == 1', '(not ([a] == 1))'],
    ['1 + 2 * 3 - 4 % 5', '((1 + (2 * 3)) - (4 % 5))'],
    ['a - b - c', '(([a] - [b]) - [c])'],
    ['-a * -2', '((-[a]) * (-2))'],
    ['(a + 1) * 2 >= b / 3', '((([a] + 1) * 2) >= ([b] / 3))'],
    ["lower([first name]) == 'x' and is_null(c)", "((lower([first name]) == 'x') and is_null([c]))"],
    ['COALESCE(a, null, 0) != TRUE', '(coalesce([a], null, 0) != true)'],
    ['length', '[length]'],
    ['f()', 'f()'],
  ])('parses %p as %p', (text, tree) => {
    expect(parse(text)).toBe(tree);
  });

  it.each([
    ['amount > (100', 13],
    ['a < b < c', 6],
    ['a +', 3],
    ['a b', 2],
    ['f(a,', 4],
    [')', 0],
    ['', 0],
  ])('refuses %p with the position of the offending token (offset %p)', (text, offset) => {
    const error = syntaxErrorOf(text);
    expect(error.code).toBe('TRANSFORM_SYNTAX');
    expect(error.position?.offset).toBe(offset);
  });

  it('refuses absurdly deep nesting with a typed error instead of overflowing the stack', () => {
    const error = syntaxErrorOf(`${'('.repeat(5_000)}1${')'.repeat(5_000)}`);
    expect(error.code).toBe('TRANSFORM_SYNTAX');
    expect(syntaxErrorOf(`${'not '.repeat(5_000)}true`).code).toBe('TRANSFORM_SYNTAX');
    expect(syntaxErrorOf(`${'-'.repeat(5_000)}1`).code).toBe('TRANSFORM_SYNTAX');
    // Long chains and nested calls build deep trees without deep parser recursion.
    expect(syntaxErrorOf(Array.from({ length: 50_000 }, () => 'a').join(' + ')).code).toBe(
      'TRANSFORM_SYNTAX',
    );
    expect(
      syntaxErrorOf(
        `${'abs('.repeat(150)}${Array.from({ length: 150 }, () => 'a').join(' * ')}${')'.repeat(150)}`,
      ).code,
    ).toBe('TRANSFORM_SYNTAX');
    expect(parse(Array.from({ length: 150 }, () => 'a').join(' + '))).toContain('[a]');
  });

  it('parses a call with more arguments than a spread can pass (a RangeError before; found while writing the fuzz tests)', () => {
    expect(parse(`coalesce(${'1, '.repeat(200_000)}2)`)).toMatch(/^coalesce\(1, 1, .*, 2\)$/);
  });
});
