import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { parseJsonText } from './parse-json-text';

// Fuzzer of parseJsonText, which reads every --config, --catalog and --state file. Invariant: the
// value JSON.parse gives, or where the text stopped being JSON, located by the scanner (never its
// fallback) and quoting none of the text; never a throw. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

/** Text damage with the characters JSON cares about. */
const damage = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      '\\',
      ':',
      ',',
      '-',
      '0',
      '.',
      'e',
      'u',
      '\n',
      ' ',
      '\u0001',
      '\ud800',
      '\ufeff',
      'n',
      't',
    ),
    maxLength: 3,
  }),
});

const jsonText = fc
  .tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(undefined, 1, '\t'))
  .map(([value, space]) => JSON.stringify(value, null, space));

/** Every line and column the text has (1-based; a column may point just past a line's end). */
function isPositionIn(text: string, line: number, column: number): boolean {
  const lines = text.split('\n');
  return line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1] as string).length + 1;
}

describe('fuzz: parseJsonText', () => {
  it('gives what JSON.parse gives, or a located reason that quotes nothing of the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          jsonText,
          fc.tuple(jsonText, damage).map(([text, { at, remove, insert }]) => {
            const position = Math.floor(at * text.length);
            return text.slice(0, position) + insert + text.slice(position + remove);
          }),
          fc.string({ maxLength: 20 }),
        ),
        fc.boolean(),
        (text, bom) => {
          const input = bom ? `\ufeff${text}` : text;
          const result = parseJsonText(input);
          // One leading byte order mark is ignored, as documented.
          const body = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
          let expected: { ok: true; value: unknown } | { ok: false };
          try {
            expected = { ok: true, value: JSON.parse(body) };
          } catch {
            expected = { ok: false };
          }
          expect(result.ok).toBe(expected.ok);
          if (result.ok) {
            expect(result.value).toEqual((expected as { value: unknown }).value);
            return;
          }
          const match = /^([A-Za-z ,:'"{}[\]]+) at line (\d+) column (\d+)$/.exec(result.where);
          expect(match).not.toBeNull();
          expect(isPositionIn(body, Number(match?.[2]), Number(match?.[3]))).toBe(true);
        },
      ),
      fuzzParameters(1000),
    );
  });
});
