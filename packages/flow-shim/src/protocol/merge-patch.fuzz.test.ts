import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import type { JsonValue } from './flow-specs';
import { applyMergePatch, createMergePatch } from './merge-patch';

// Fuzzer of the RFC 7396 merge patches a capture's checkpoints carry and the runtime folds into the
// state the next `open` request hands back. Invariant: folding the patch of (before, after) into
// before gives after (nulls aside), for any keys, `__proto__` and `constructor` included, documents
// read from JSON text as the runtime sends them. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const key = fc.oneof(
  fc.constantFrom('a', 'b', '__proto__', 'constructor', 'toString', '0'),
  fc.string({ maxLength: 3 }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => {
      // JSON text, so `__proto__` is an own key as JSON.parse makes it.
      const text = `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',')}}`;
      return JSON.parse(text) as JsonValue;
    }),
  ),
})).value as fc.Arbitrary<JsonValue>;

function withoutNulls(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const result: Record<string, JsonValue> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (inner === null) continue;
    Object.defineProperty(result, name, {
      value: withoutNulls(inner),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return result;
}

/** JSON text with keys in sorted order, so that documents compare whatever their key order. */
function canonical(value: JsonValue | undefined): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${canonical(value[name])}`)
    .join(',')}}`;
}

describe('fuzz: merge patches of connector state (createMergePatch, applyMergePatch)', () => {
  it('folds the patch of any two documents into the second, whatever their keys', () => {
    fc.assert(
      fc.property(json, json, (before, after) => {
        const patch = createMergePatch(before, after);
        // The patch travels as JSON text.
        const sent = patch === undefined ? undefined : (JSON.parse(JSON.stringify(patch)) as JsonValue);
        const result = sent === undefined ? before : applyMergePatch(before, sent);
        // RFC 7396 cannot express a null value: compare without them.
        expect(canonical(withoutNulls(result))).toBe(canonical(withoutNulls(after)));
      }),
      fuzzParameters(1000),
    );
  });
});
