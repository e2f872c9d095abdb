/**
 * Parses one JSON text with every integer kept exact: an integer literal beyond 2^53 becomes a bigint
 * instead of a rounded double. Text without a run of 16 digits cannot hold such an integer and takes
 * `JSON.parse` at its full speed; the rest goes through the scanner below. Throws a SyntaxError on text
 * that is not JSON.
 */
export function parseExactJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const parser = new ExactJsonParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

const LONG_DIGITS = /\d{16}/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are not JSON; such strings go to JSON.parse, which refuses them
const PLAIN_STRING = /"[^"\\\u0000-\u001f]*"/y;

class ExactJsonParser {
  #at = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.#space();
    const char = this.text[this.#at];
    if (char === '{') return this.#object();
    if (char === '[') return this.#array();
    if (char === '"') return this.#string();
    if (char === 't') return this.#literal('true', true);
    if (char === 'f') return this.#literal('false', false);
    if (char === 'n') return this.#literal('null', null);
    return this.#number();
  }

  end(): void {
    this.#space();
    if (this.#at !== this.text.length) this.#fail('unexpected text after the value');
  }

  #object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.#at += 1;
    this.#space();
    if (this.text[this.#at] === '}') {
      this.#at += 1;
      return result;
    }
    for (;;) {
      this.#space();
      if (this.text[this.#at] !== '"') this.#fail('expected a key');
      const key = this.#string();
      this.#space();
      if (this.text[this.#at] !== ':') this.#fail('expected ":"');
      this.#at += 1;
      const value = this.value();
      // Own data property even for "__proto__", as JSON.parse does.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.#space();
      const next = this.text[this.#at];
      this.#at += 1;
      if (next === '}') return result;
      if (next !== ',') this.#fail('expected "," or "}"');
    }
  }

  #array(): unknown[] {
    const result: unknown[] = [];
    this.#at += 1;
    this.#space();
    if (this.text[this.#at] === ']') {
      this.#at += 1;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.#space();
      const next = this.text[this.#at];
      this.#at += 1;
      if (next === ']') return result;
      if (next !== ',') this.#fail('expected "," or "]"');
    }
  }

  #string(): string {
    PLAIN_STRING.lastIndex = this.#at;
    if (PLAIN_STRING.test(this.text)) {
      const value = this.text.slice(this.#at + 1, PLAIN_STRING.lastIndex - 1);
      this.#at = PLAIN_STRING.lastIndex;
      return value;
    }
    // Strings with escapes: find the closing quote, let JSON.parse decode the escapes.
    let end = this.#at + 1;
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) this.#fail('unterminated string');
    const value = JSON.parse(this.text.slice(this.#at, end + 1)) as string;
    this.#at = end + 1;
    return value;
  }

  #number(): number | bigint {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.text);
    if (match === null) this.#fail('expected a value');
    this.#at = NUMBER.lastIndex;
    const literal = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      const value = Number(literal);
      return Number.isSafeInteger(value) ? value : BigInt(literal);
    }
    return Number(literal);
  }

  #literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.#at)) this.#fail('expected a value');
    this.#at += word.length;
    return value;
  }

  #space(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.#at);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.#at += 1;
    }
  }

  #fail(reason: string): never {
    throw new SyntaxError(`${reason} at character ${this.#at + 1}`);
  }
}
