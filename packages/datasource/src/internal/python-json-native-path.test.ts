import fc from 'fast-check';
import { compactJsonStringify } from './python-json';

// compactJsonStringify hands values that JSON.stringify writes exactly as the compact layout to the
// native encoder. A -0 beside a value sends the whole container down the general path, so comparing
// the two shows that both paths write every value alike.
const viaGeneralPath = (value: unknown): string => compactJsonStringify([value, -0]);

const plainJson = fc.jsonValue({ maxDepth: 4 });
const awkwardLeaf = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 1e-5, 2 ** 53, 1e16, 1e21, 1e-7, Number.NaN, -Infinity, 123456789.125),
  fc.bigInt(),
  fc.string({ unit: 'binary' }),
  fc.date({ noInvalidDate: false }),
  fc.constant(undefined),
  fc.constant(() => 1),
);
const mixed = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, awkwardLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
})).value;

describe('compactJsonStringify: the native path writes what the general path writes', () => {
  it('for plain JSON values', () => {
    fc.assert(
      fc.property(plainJson, (value) => {
        expect(`[${compactJsonStringify(value)},-0.0]`).toBe(viaGeneralPath(value));
      }),
      { seed: 20261208, numRuns: 500 },
    );
  });

  it('for values with numbers Python writes differently, bigints, dates and skipped values', () => {
    fc.assert(
      fc.property(mixed, (value) => {
        expect(`[${compactJsonStringify(value)},-0.0]`).toBe(viaGeneralPath(value));
      }),
      { seed: 20261208, numRuns: 500 },
    );
  });

  it('leaves out the top-level key it is told to, on either path', () => {
    const record = { id: 1, __state: 's1', nested: { __state: 'kept' }, __table: 't' };
    expect(compactJsonStringify(record, { omitTopLevelKey: '__state' })).toBe(
      '{"id":1,"nested":{"__state":"kept"},"__table":"t"}',
    );
    expect(compactJsonStringify({ ...record, id: -0 }, { omitTopLevelKey: '__state' })).toBe(
      '{"id":-0.0,"nested":{"__state":"kept"},"__table":"t"}',
    );
  });

  it('writes a Date whose toJSON was replaced as its toJSON says, and a Buffer as Node does', () => {
    const date = new Date(0);
    Object.assign(date, { toJSON: () => -0 });
    expect(compactJsonStringify({ date })).toBe('{"date":-0.0}');
    expect(compactJsonStringify({ buffer: Buffer.from([1]) })).toBe(
      '{"buffer":{"type":"Buffer","data":[1]}}',
    );
  });

  it('still refuses a cycle', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => compactJsonStringify(cyclic)).toThrow(/circular/);
  });
});
