// Parses the text of json/jsonb values without changing any number: JSON.parse turns every number
// into a double, so 12345678901234567890 would arrive as 12345678901234567000 and
// 0.1234567890123456789 would lose its last digits. Here an integer is a `number` when it is a safe
// integer and a `bigint` otherwise (the rule for every integer of this source); a number with a
// fraction or an exponent is a `number` when that double has exactly the literal's decimal value
// once written back (0.1, 1.5e300), and otherwise its exact text, as a string.

// A number token long enough to go past a double's 15 safe digits, or one with an exponent, is the
// only thing JSON.parse can get wrong. Matching inside strings too only sends a value down the slow
// path, which is exact for everything.
const RISKY_NUMBER = /[0-9][0-9.]{15}|[0-9.][eE]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/** `sign digits e exponent` with the digits stripped of leading and trailing zeros; `0` for zero. */
function decimalValue(text: string): string {
  const match = DECIMAL.exec(text);
  if (match === null) return text;
  const [, sign = '', integer = '', fraction = '', exponent = '0'] = match;
  let digits = integer + fraction;
  let point = integer.length + Number(exponent);
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading);
  point -= leading;
  digits = digits.replace(/0+$/, '');
  return digits === '' ? '0' : `${sign}${digits}e${point}`;
}

/** The exact reading of one JSON number token (see the file's header). */
export function exactJsonNumber(token: string): number | bigint | string {
  const value = Number(token);
  if (!/[.eE]/.test(token)) return Number.isSafeInteger(value) ? value : BigInt(token);
  const exact = decimalValue(token);
  if (exact === '0') return value; // -0.0 stays -0
  if (Number.isFinite(value) && value !== 0 && decimalValue(String(value)) === exact) return value;
  return token;
}

class Parser {
  #index = 0;

  constructor(readonly text: string) {}

  parse(): unknown {
    const value = this.#value();
    this.#space();
    if (this.#index !== this.text.length) this.#fail('unexpected text after the value');
    return value;
  }

  #fail(problem: string): never {
    throw new SyntaxError(`invalid JSON at offset ${this.#index}: ${problem}`);
  }

  #space(): void {
    const text = this.text;
    while (this.#index < text.length) {
      const code = text.charCodeAt(this.#index);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.#index++;
    }
  }

  #value(): unknown {
    this.#space();
    const character = this.text[this.#index];
    if (character === '{') return this.#object();
    if (character === '[') return this.#array();
    if (character === '"') return this.#string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.#index)) {
        this.#index += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.#index;
    const match = NUMBER.exec(this.text);
    if (match === null) this.#fail('expected a value');
    this.#index += match[0].length;
    return exactJsonNumber(match[0]);
  }

  #string(): string {
    const start = this.#index;
    let index = start + 1;
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(index);
      if (Number.isNaN(code)) this.#fail('unterminated string');
      if (code === 0x5c) index += 2;
      else if (code === 0x22) break;
      else index++;
    }
    this.#index = index + 1;
    // The escapes are JSON's own: let JSON.parse decode them.
    return JSON.parse(text.slice(start, index + 1)) as string;
  }

  #array(): unknown[] {
    this.#index++;
    const items: unknown[] = [];
    this.#space();
    if (this.text[this.#index] === ']') {
      this.#index++;
      return items;
    }
    for (;;) {
      items.push(this.#value());
      this.#space();
      const next = this.text[this.#index++];
      if (next === ']') return items;
      if (next !== ',') this.#fail('expected , or ]');
    }
  }

  #object(): Record<string, unknown> {
    this.#index++;
    const object: Record<string, unknown> = {};
    this.#space();
    if (this.text[this.#index] === '}') {
      this.#index++;
      return object;
    }
    for (;;) {
      this.#space();
      if (this.text[this.#index] !== '"') this.#fail('expected a key');
      const key = this.#string();
      this.#space();
      if (this.text[this.#index++] !== ':') this.#fail('expected :');
      // defineProperty: a "__proto__" key is data, as JSON.parse makes it, not the prototype.
      Object.defineProperty(object, key, {
        value: this.#value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.#space();
      const next = this.text[this.#index++];
      if (next === '}') return object;
      if (next !== ',') this.#fail('expected , or }');
    }
  }
}

/**
 * Parses json/jsonb text keeping every number exact (see the file's header); otherwise the same
 * result as `JSON.parse`, which does the work when no number could lose anything.
 */
export function parseExactJson(text: string): unknown {
  if (!RISKY_NUMBER.test(text)) return JSON.parse(text);
  return new Parser(text).parse();
}
