import fc from 'fast-check';
import { compactJsonStringify, pythonJsonDumps, pythonQuote, UnencodableValueError } from './python-json';

describe('pythonJsonDumps', () => {
  it('uses Python separators and ensure_ascii escapes', () => {
    expect(pythonJsonDumps({ a: 1, s: 'héllo & co/x', __table: 'tbl' })).toBe(
      '{"a": 1, "s": "h\\u00e9llo & co/x", "__table": "tbl"}',
    );
    expect(pythonJsonDumps(['😀', '\u007f', 'q"\\\n\t'])).toBe(
      '["\\ud83d\\ude00", "\\u007f", "q\\"\\\\\\n\\t"]',
    );
    expect(pythonJsonDumps(['\u0001\u001f', '\ud800', 'é😀\u2028'])).toBe(
      '["\\u0001\\u001f", "\\ud800", "\\u00e9\\ud83d\\ude00\\u2028"]',
    );
    expect(pythonJsonDumps({ n: null, t: true, f: false, skip: undefined, nested: { x: [] } })).toBe(
      '{"n": null, "t": true, "f": false, "nested": {"x": []}}',
    );
  });

  it('writes floats like Python repr', () => {
    const cases: Array<[number, string]> = [
      [1.5, '1.5'],
      [0.1, '0.1'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [123456789.125, '123456789.125'],
      [1.5e16, '1.5e+16'],
      [9.1e15, '9100000000000000.0'],
      [-42, '-42'],
      [1.25e300, '1.25e+300'],
      [-2.5e-7, '-2.5e-07'],
      [1e22, '1e+22'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
    ];
    for (const [value, expected] of cases) expect(pythonJsonDumps(value)).toBe(expected);
  });

  it('refuses cycles, saying where', () => {
    const cyclic: Record<string, unknown> = { list: [1, {}] };
    (cyclic.list as unknown[])[1] = cyclic;
    for (const encode of [pythonJsonDumps, compactJsonStringify]) {
      try {
        encode({ outer: cyclic });
        throw new Error('expected a throw');
      } catch (error) {
        expect(error).toBeInstanceOf(UnencodableValueError);
        expect((error as UnencodableValueError).path).toBe('.outer.list[1]');
      }
    }
  });

  it('keeps -0 as -0.0 and writes bigints exactly, in both layouts', () => {
    const record = { zero: -0, big: 12345678901234567890n, small: 0, neg: -12n };
    expect(pythonJsonDumps(record)).toBe(
      '{"zero": -0.0, "big": 12345678901234567890, "small": 0, "neg": -12}',
    );
    const compact = compactJsonStringify(record);
    expect(compact).toBe('{"zero":-0.0,"big":12345678901234567890,"small":0,"neg":-12}');
    expect(Object.is(JSON.parse(compact).zero, -0)).toBe(true);
  });

  it('writes non-finite numbers as Python does, or refuses them in error mode', () => {
    const record = { values: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] };
    expect(pythonJsonDumps(record)).toBe('{"values": [NaN, Infinity, -Infinity]}');
    expect(compactJsonStringify(record)).toBe('{"values":[NaN,Infinity,-Infinity]}');
    expect(() => compactJsonStringify(record, { nonFiniteNumbers: 'error' })).toThrow(UnencodableValueError);
    try {
      pythonJsonDumps({ a: { 'odd key': [0, Number.NaN] } }, { nonFiniteNumbers: 'error' });
    } catch (error) {
      expect((error as UnencodableValueError).describe()).toMatch(/NaN .* at \.a\["odd key"\]\[1\]$/);
    }
  });
});

describe('pythonQuote', () => {
  it("keeps / and unreserved characters, encodes ! ' ( ) * and spaces", () => {
    expect(pythonQuote("a/b c!'()*~_.-")).toBe('a/b%20c%21%27%28%29%2A~_.-');
    expect(pythonQuote('{"a": 1}')).toBe('%7B%22a%22%3A%201%7D');
  });
});

describe('pythonJsonDumps properties', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const value = fc.oneof(
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
  );
  const record = fc.dictionary(text, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 6 });

  it('round-trips through JSON.parse to what JSON.stringify gives (-0 kept), in both layouts', () => {
    fc.assert(
      fc.property(record, (input) => {
        const expected = JSON.parse(
          JSON.stringify(input, (_key, value) => (Object.is(value, -0) ? '-0' : value)),
        );
        const revive = (_key: string, value: unknown) => (Object.is(value, -0) ? '-0' : value);
        expect(JSON.parse(pythonJsonDumps(input), revive)).toEqual(expected);
        expect(JSON.parse(compactJsonStringify(input), revive)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('compact layout equals JSON.stringify whenever the record has no -0, bigint or non-finite value', () => {
    const plain = fc.dictionary(
      text,
      fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(plain, (input) => {
        expect(compactJsonStringify(input)).toBe(JSON.stringify(input));
      }),
      { numRuns: 300 },
    );
  });

  it('is pure ASCII and percent-encodes to the unreserved set plus / and %XX', () => {
    fc.assert(
      fc.property(record, (input) => {
        const dumped = pythonJsonDumps(input);
        expect(dumped).toMatch(/^[\x20-\x7e]*$/);
        expect(pythonQuote(dumped)).toMatch(/^(?:[A-Za-z0-9_.~/-]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(pythonQuote(dumped))).toBe(dumped);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a value nested deeper than the stack with UnencodableValueError, not a RangeError (found while writing the fuzz tests)', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(() => pythonJsonDumps({ deep })).toThrow(UnencodableValueError);
    expect(() => compactJsonStringify({ deep })).toThrow(/nested too deeply/);
  });

  it('calls toJSON once, as JSON.stringify does (found by fuzzing)', () => {
    const value = { a: { toJSON: () => ({ toJSON: () => -0 }) } };
    expect(compactJsonStringify(value)).toBe(JSON.stringify(value));
    expect(pythonJsonDumps(value)).toBe('{"a": {}}');
  });

  it('handles values JSON.stringify writes differently', () => {
    expect(pythonJsonDumps({ when: new Date(0), big: 2n ** 70n, n: [Number.NaN] })).toBe(
      '{"when": "1970-01-01T00:00:00.000Z", "big": 1180591620717411303424, "n": [NaN]}',
    );
  });
});
