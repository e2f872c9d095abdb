import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { TransformError } from '../errors/transform-error';
import type { ExpressionNode } from './ast';
import { parseExpression } from './parse-expression';

// Fuzzers of the expression parser (Filter and Formula texts of the tool config). Invariant: the tree
// the text means, or a TransformError TRANSFORM_SYNTAX whose position lies in the text; never another
// throw, a stack overflow or a hang. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

/** A fully parenthesised rendering of a tree, to compare trees whatever their spelling. */
function show(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
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

type Spelling = { readonly space: string; readonly upper: boolean; readonly quote: "'" | '"' };

const columnName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/),
  fc.string({ minLength: 1, maxLength: 5 }),
  fc.constantFrom('__proto__', 'a b', ']', 'and'),
);

const keywords = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

/** A tree the parser can produce (no literal negative numbers: `-1` is negate(1)). */
const treeArbitrary: fc.Arbitrary<ExpressionNode> = fc.letrec<{ node: ExpressionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(
      fc
        .double({ min: 0, max: 1e6, noNaN: true })
        .map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
      fc.string({ maxLength: 5 }).map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
      fc.constantFrom(true, false, null).map((value) => ({ kind: 'literal' as const, value, offset: 0 })),
      columnName.map((name) => ({ kind: 'column' as const, name, offset: 0 })),
    ),
    tie('node').map((operand) => ({ kind: 'negate' as const, operand, offset: 0 })),
    tie('node').map((operand) => ({ kind: 'not' as const, operand, offset: 0 })),
    fc
      .tuple(
        fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'and', 'or'),
        tie('node'),
        tie('node'),
      )
      .map(
        ([operator, left, right]) =>
          ({ kind: 'binary' as const, operator, left, right, offset: 0 }) as ExpressionNode,
      ),
    fc
      .tuple(
        fc.constantFrom('abs', 'round', 'lower', 'coalesce', 'if', 'f_x'),
        fc.array(tie('node'), { maxLength: 3 }),
      )
      .map(([name, args]) => ({ kind: 'call' as const, name, args, offset: 0 })),
  ),
})).node;

/** Source text for `node`, every sub-expression in parentheses, spelled as `spelling` says. */
function write(node: ExpressionNode, spelling: Spelling): string {
  const { space, upper, quote } = spelling;
  const word = (text: string) => (upper ? text.toUpperCase() : text);
  switch (node.kind) {
    case 'literal': {
      if (typeof node.value === 'number') return String(node.value);
      if (typeof node.value === 'string') {
        const escaped = node.value.replace(
          /[\\'"\n\t\r]/g,
          (char) => `\\${{ '\n': 'n', '\t': 't', '\r': 'r' }[char] ?? char}`,
        );
        return `${quote}${escaped}${quote}`;
      }
      return word(String(node.value));
    }
    case 'column':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(node.name) && !keywords.has(node.name.toLowerCase())
        ? node.name
        : `[${node.name.replaceAll(']', ']]')}]`;
    case 'negate':
      return `-${space}(${write(node.operand, spelling)})`;
    case 'not':
      return `${word('not')} (${write(node.operand, spelling)})`;
    case 'binary': {
      const operator =
        node.operator === 'and' || node.operator === 'or'
          ? ` ${word(node.operator)} `
          : `${space}${node.operator === '!=' && upper ? '<>' : node.operator}${space}`;
      return `(${write(node.left, spelling)})${operator}(${write(node.right, spelling)})`;
    }
    case 'call':
      return `${upper ? node.name.toUpperCase() : node.name}(${node.args.map((arg) => write(arg, spelling)).join(`,${space}`)})`;
  }
}

const spellingArbitrary = fc.record({
  space: fc.constantFrom('', ' ', '\n', '\t '),
  upper: fc.boolean(),
  quote: fc.constantFrom("'" as const, '"' as const),
});

function expectSyntaxError(error: unknown, text: string): void {
  if (!TransformError.isInstance(error) || error.code !== 'TRANSFORM_SYNTAX') throw error;
  const position = error.position;
  expect(position).toBeDefined();
  expect(position?.offset).toBeGreaterThanOrEqual(0);
  expect(position?.offset).toBeLessThanOrEqual(text.length);
  expect(position?.line).toBe(text.slice(0, position?.offset).split('\n').length);
}

/** Text damage with the characters the grammar cares about. */
const damage = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.string({
    unit: fc.constantFrom(
      '(',
      ')',
      '[',
      ']',
      "'",
      '"',
      '\\',
      ',',
      '-',
      '!',
      '=',
      '<',
      '.',
      'e',
      '1',
      ' ',
      'x',
    ),
    maxLength: 3,
  }),
});

describe('fuzz: expression parser (parseExpression)', () => {
  it('reads back any tree, however it is spelled', () => {
    fc.assert(
      fc.property(treeArbitrary, spellingArbitrary, (tree, spelling) => {
        const text = write(tree, spelling);
        let parsed: ExpressionNode;
        try {
          parsed = parseExpression({ name: 'Formula', text });
        } catch (error) {
          // Only depth is refused in a valid tree: the parser bounds it (parentheses count too).
          if (!TransformError.isInstance(error) || !/nested deeper than/.test(error.message)) throw error;
          return;
        }
        expect(show(parsed)).toBe(show(tree));
      }),
      fuzzParameters(500),
    );
  });

  it('reads damaged or arbitrary text into a tree or a TRANSFORM_SYNTAX error with its position', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(treeArbitrary, spellingArbitrary, damage)
            .map(([tree, spelling, { at, remove, insert }]) => {
              const text = write(tree, spelling);
              const position = Math.floor(at * text.length);
              return text.slice(0, position) + insert + text.slice(position + remove);
            }),
          fc.string({ maxLength: 30 }),
        ),
        (text) => {
          try {
            parseExpression({ name: 'Filter', text });
          } catch (error) {
            expectSyntaxError(error, text);
          }
        },
      ),
      fuzzParameters(500),
    );
  });

  it('refuses deep or huge inputs promptly with TRANSFORM_SYNTAX, or reads them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('(', '-', 'not ', 'abs(', '[', "'", '1+', 'a and ', 'coalesce(1,'),
        fc.integer({ min: 1, max: 20_000 }),
        (piece, count) => {
          const text = `${piece.repeat(count)}1`;
          const started = Date.now();
          try {
            parseExpression({ name: 'Filter', text });
          } catch (error) {
            expectSyntaxError(error, text);
          }
          expect(Date.now() - started).toBeLessThan(10_000);
        },
      ),
      fuzzParameters(30, 300),
    );
  });
});
