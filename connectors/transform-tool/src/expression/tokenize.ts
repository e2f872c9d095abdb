import { expressionError, type SourceText } from './source-text';

/** Kinds of token the expression language has. */
export type TokenKind = 'number' | 'string' | 'identifier' | 'column' | 'keyword' | 'operator' | 'end';

/** One token; `offset` is where it starts in the expression text. */
export interface Token {
  /** What the token is. */
  readonly kind: TokenKind;
  /** Operator or keyword (lower case) spelling, identifier or column name, or the decoded string. */
  readonly text: string;
  /** Numeric value of a `number` token. */
  readonly value?: number;
  /** Offset of its first character in the expression text (UTF-16 units from 0). */
  readonly offset: number;
}

/** Words that are not column names; matched case-insensitively. */
export const keywords: ReadonlySet<string> = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

// Longest first, so that `<=` wins over `<`.
const operators = ['==', '!=', '<>', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ','];
const escapes: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
};

function isIdentifierStart(char: string): boolean {
  return /[A-Za-z_]/.test(char);
}

function isIdentifierPart(char: string): boolean {
  return /[A-Za-z0-9_]/.test(char);
}

/**
 * Splits an expression into tokens, ending with one `end` token. Throws `TRANSFORM_SYNTAX` (with the
 * position) for an unterminated string or column name, a bad escape, a malformed number or a stray character.
 */
export function tokenize(source: SourceText): Token[] {
  const { text } = source;
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const start = index;
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[index + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(index));
      const spelling = match?.[0] ?? '';
      index += spelling.length;
      if (isIdentifierPart(text[index] ?? '') || text[index] === '.') {
        throw expressionError(
          'TRANSFORM_SYNTAX',
          source,
          start,
          `malformed number '${spelling}${text[index]}'`,
        );
      }
      tokens.push({ kind: 'number', text: spelling, value: Number(spelling), offset: start });
    } else if (char === "'" || char === '"') {
      let value = '';
      index += 1;
      for (;;) {
        const next = text[index];
        if (next === undefined) {
          throw expressionError('TRANSFORM_SYNTAX', source, start, 'unterminated string literal');
        }
        if (next === char) break;
        if (next === '\\') {
          const escaped = escapes[text[index + 1] ?? ''];
          if (escaped === undefined) {
            throw expressionError(
              'TRANSFORM_SYNTAX',
              source,
              index,
              `unknown escape '\\${text[index + 1] ?? ''}'`,
            );
          }
          value += escaped;
          index += 2;
        } else {
          value += next;
          index += 1;
        }
      }
      index += 1;
      tokens.push({ kind: 'string', text: value, offset: start });
    } else if (char === '[') {
      // `]]` inside brackets is a literal `]`, so any column name can be written.
      let name = '';
      index += 1;
      for (;;) {
        const next = text[index];
        if (next === undefined) {
          throw expressionError('TRANSFORM_SYNTAX', source, start, "unterminated column name: missing ']'");
        }
        if (next === ']') {
          if (text[index + 1] !== ']') break;
          index += 1;
        }
        name += text[index];
        index += 1;
      }
      index += 1;
      if (name.length === 0) throw expressionError('TRANSFORM_SYNTAX', source, start, 'empty column name []');
      tokens.push({ kind: 'column', text: name, offset: start });
    } else if (isIdentifierStart(char)) {
      while (index < text.length && isIdentifierPart(text[index] as string)) index += 1;
      const word = text.slice(start, index);
      const lower = word.toLowerCase();
      tokens.push(
        keywords.has(lower)
          ? { kind: 'keyword', text: lower, offset: start }
          : { kind: 'identifier', text: word, offset: start },
      );
    } else {
      const operator = operators.find((candidate) => text.startsWith(candidate, index));
      if (operator === undefined) {
        const hint =
          char === '='
            ? " (equality is '==')"
            : char === '&' || char === '|' || char === '!'
              ? " (use 'and', 'or', 'not')"
              : '';
        throw expressionError('TRANSFORM_SYNTAX', source, start, `unexpected character '${char}'${hint}`);
      }
      index += operator.length;
      tokens.push({ kind: 'operator', text: operator === '<>' ? '!=' : operator, offset: start });
    }
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}
