/** Where and why a text is not valid JSON, without quoting any of it. */
export interface JsonSyntaxErrorLocation {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** 0-based offset, in UTF-16 code units. */
  offset: number;
  /** What was expected there, in words that never repeat the text (e.g. `expected a value`). */
  reason: string;
}

type Expect = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Finds the first syntax error of `text` as a strict JSON (RFC 8259) scanner sees it, the way
 * Python's `json` reports it: a reason and a line and column. Returns undefined for valid JSON.
 * Exists because V8's `JSON.parse` messages quote the text around the error, and a config file's
 * text holds secrets that were never parsed, so nothing could mask them.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxErrorLocation | undefined {
  const found = scan(text);
  if (found === undefined) return undefined;
  const offset = Math.min(found.offset, text.length);
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1, offset, reason: found.reason };
}

function scan(text: string): { offset: number; reason: string } | undefined {
  const length = text.length;
  const stack: ('{' | '[')[] = [];
  let i = 0;
  let expect: Expect = 'value';

  const skipWhitespace = (): void => {
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  /** Scans a string starting at its opening quote; returns a failure or undefined. */
  const scanString = (): { offset: number; reason: string } | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= length) return { offset: start, reason: 'unterminated string starting' };
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const escaped = text[i + 1];
        if (escaped === undefined) return { offset: start, reason: 'unterminated string starting' };
        if ('"\\/bfnrt'.includes(escaped)) {
          i += 2;
          continue;
        }
        if (escaped === 'u' && HEX4.test(text.slice(i + 2, i + 6))) {
          i += 6;
          continue;
        }
        return { offset: i, reason: 'invalid escape in a string' };
      }
      if (c < 0x20) return { offset: i, reason: 'control character in a string' };
      i++;
    }
  };
  const closeContainer = (): void => {
    stack.pop();
    i++;
    expect = 'after';
  };

  for (;;) {
    skipWhitespace();
    const atEnd = i >= length;
    const ch = text[i];
    switch (expect) {
      case 'value':
      case 'value-or-end': {
        if (atEnd) return { offset: i, reason: 'unexpected end of input, expected a value' };
        if (expect === 'value-or-end' && ch === ']') {
          closeContainer();
          continue;
        }
        if (ch === '{') {
          stack.push('{');
          i++;
          expect = 'key-or-end';
          continue;
        }
        if (ch === '[') {
          stack.push('[');
          i++;
          expect = 'value-or-end';
          continue;
        }
        if (ch === '"') {
          const failure = scanString();
          if (failure) return failure;
          expect = 'after';
          continue;
        }
        NUMBER.lastIndex = i;
        const number = NUMBER.exec(text);
        if (number !== null && number[0] !== '-' && number[0].length > 0) {
          i += number[0].length;
          expect = 'after';
          continue;
        }
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal !== undefined) {
          i += literal.length;
          expect = 'after';
          continue;
        }
        return { offset: i, reason: 'expected a value' };
      }
      case 'key':
      case 'key-or-end': {
        if (atEnd) return { offset: i, reason: 'unexpected end of input, expected a property name' };
        if (expect === 'key-or-end' && ch === '}') {
          closeContainer();
          continue;
        }
        if (ch !== '"') return { offset: i, reason: 'expected a property name in double quotes' };
        const failure = scanString();
        if (failure) return failure;
        expect = 'colon';
        continue;
      }
      case 'colon': {
        if (atEnd) return { offset: i, reason: "unexpected end of input, expected ':'" };
        if (ch !== ':') return { offset: i, reason: "expected ':' after a property name" };
        i++;
        expect = 'value';
        continue;
      }
      case 'after': {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          return atEnd ? undefined : { offset: i, reason: 'unexpected data after the JSON value' };
        }
        const close = top === '{' ? '}' : ']';
        if (atEnd) return { offset: i, reason: `unexpected end of input, expected ',' or '${close}'` };
        if (ch === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
          continue;
        }
        if (ch === close) {
          closeContainer();
          continue;
        }
        return { offset: i, reason: `expected ',' or '${close}'` };
      }
    }
  }
}
