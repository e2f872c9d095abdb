import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { compactJsonStringify, pythonJsonDumps, UnencodableValueError } from './python-json';

// Fuzzer of the record encoders every sink uses (records come from APIs a source reads, so from
// outside): hostile values, not just JSON ones. Invariant: text that reads back as JSON.stringify's
// value (Python's NaN/Infinity tokens aside), or an UnencodableValueError; never another throw.
// Extends the properties in python-json.test.ts. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

/** Any code point, lone surrogates included (fast-check's 'binary' unit takes seconds to set up). */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

const leaf = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 6 }),
  fc.double(),
  fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, undefined, null, true),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(new Number(1), new String('s'), new Boolean(false), () => 1, Symbol('s')),
);

const key = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 4 }),
  fc.constantFrom('__proto__', 'constructor', '__state', 'a b'),
);

const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => {
      const object: Record<string, unknown> = {};
      for (const [name, item] of entries) {
        Object.defineProperty(object, name, {
          value: item,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return object;
    }),
    tie('value').map((inner) => ({ toJSON: () => inner })),
  ),
})).value;

/** What JSON.parse should read back: JSON.stringify's value, with bigints as numbers and -0 kept. */
function reference(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, item) =>
    typeof item === 'bigint' ? { __bigint: item.toString() } : Object.is(item, -0) ? '-0' : item,
  );
  return text === undefined ? null : JSON.parse(text);
}

function readBack(text: string): unknown {
  // Python's tokens for non-finite numbers are not JSON; JSON.stringify writes them as null.
  const json = text.replace(/(?<![\w"])-?(?:NaN|Infinity)(?![\w"])/g, 'null');
  return JSON.parse(json, (_key, item) => (Object.is(item, -0) ? '-0' : item));
}

describe('fuzz: record encoders (pythonJsonDumps, compactJsonStringify)', () => {
  it('write any value as JSON text that reads back as JSON.stringify reads it, or refuse it typed', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.boolean(),
        fc.constantFrom('python' as const, 'error' as const),
        (value, python, nonFiniteNumbers) => {
          const encode = python ? pythonJsonDumps : compactJsonStringify;
          let text: string;
          try {
            text = encode(value, { nonFiniteNumbers });
          } catch (error) {
            if (!(error instanceof UnencodableValueError)) throw error;
            expect(nonFiniteNumbers).toBe('error');
            return;
          }
          if (python) expect(text).toMatch(/^[\x20-\x7e]*$/);
          const expected = reference(value);
          // Bigints are written as integers: compare them as the numbers JSON.parse makes of them.
          const normalise = (item: unknown): unknown =>
            Array.isArray(item)
              ? item.map(normalise)
              : item !== null && typeof item === 'object'
                ? '__bigint' in item && Object.keys(item).length === 1
                  ? Number((item as { __bigint: string }).__bigint)
                  : Object.fromEntries(Object.entries(item).map(([name, inner]) => [name, normalise(inner)]))
                : item;
          expect(normalise(readBack(text))).toEqual(normalise(expected));
        },
      ),
      fuzzParameters(400),
    );
  });

  it('refuse cycles and nesting beyond the stack with UnencodableValueError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        fc.boolean(),
        fc.boolean(),
        (depth, cyclic, python) => {
          const root: unknown[] = [];
          let inner: unknown[] = root;
          for (let level = 1; level < depth; level++) {
            const next: unknown[] = [];
            inner.push(next);
            inner = next;
          }
          if (cyclic) inner.push(root);
          const encode = python ? pythonJsonDumps : compactJsonStringify;
          try {
            const text = encode({ root });
            expect(cyclic).toBe(false);
            expect(text.length).toBeGreaterThanOrEqual(2 * depth);
          } catch (error) {
            if (!(error instanceof UnencodableValueError)) throw error;
          }
        },
      ),
      fuzzParameters(20, 200),
    );
  });
});
