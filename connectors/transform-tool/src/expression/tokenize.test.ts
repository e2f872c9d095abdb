import { TransformError } from '../errors/transform-error';
import { tokenize } from './tokenize';

const tokensOf = (text: string) =>
  tokenize({ name: 'Filter', text }).map((token) => [token.kind, token.text, token.offset]);

function syntaxErrorOf(text: string): TransformError {
  try {
    tokenize({ name: 'Filter', text });
  } catch (error) {
    if (TransformError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected '${text}' not to tokenize`);
}

describe('tokenize', () => {
  it('splits numbers, strings, columns, keywords and operators, with their offsets', () => {
    expect(tokensOf("amount >= 1.5e2 AND [order id] <> 'x'")).toEqual([
      ['identifier', 'amount', 0],
      ['operator', '>=', 7],
      ['number', '1.5e2', 10],
      ['keyword', 'and', 16],
      ['column', 'order id', 20],
      ['operator', '!=', 31],
      ['string', 'x', 34],
      ['end', '', 37],
    ]);
  });

  it('decodes string escapes and ]] inside a bracketed column name', () => {
    expect(tokenize({ name: 'f', text: `"a\\"b\\n" [x]]y]` }).map((token) => token.text)).toEqual([
      'a"b\n',
      'x]y',
      '',
    ]);
    expect(tokenize({ name: 'f', text: '.5' })[0]?.value).toBe(0.5);
  });

  it.each([
    ["status == 'paid", 10, 'an unterminated string, at its opening quote'],
    ['[amount', 0, 'an unterminated column name'],
    ['a = 1', 2, "a single '=' (hinting at '==')"],
    ["'a\\q'", 2, 'an unknown escape'],
    ['12abc', 0, 'a malformed number'],
    ['a && b', 2, "'&&' (hinting at 'and')"],
  ])('refuses %p at offset %p: %s', (text, offset) => {
    const error = syntaxErrorOf(text);
    expect(error.code).toBe('TRANSFORM_SYNTAX');
    expect(error.position).toEqual({ expressionName: 'Filter', offset, line: 1, column: offset + 1 });
  });

  it('reports line and column on multi-line expressions', () => {
    const error = syntaxErrorOf("a > 1\n  and b == 'x");
    expect(error.position).toMatchObject({ line: 2, column: 12 });
  });
});
