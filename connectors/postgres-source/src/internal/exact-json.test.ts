import { exactJsonNumber, parseExactJson } from './exact-json';

describe('parseExactJson', () => {
  it('keeps integers beyond 2^53 exact as bigints and safe ones as numbers', () => {
    expect(parseExactJson('{"big": 12345678901234567890, "small": 42, "edge": 9007199254740993}')).toEqual({
      big: 12345678901234567890n,
      small: 42,
      edge: 9007199254740993n,
    });
    expect(parseExactJson('[-9223372036854775808, 9007199254740991]')).toEqual([
      -9223372036854775808n,
      9007199254740991,
    ]);
  });

  it('keeps decimals a double cannot hold as their exact text, others as numbers', () => {
    expect(
      parseExactJson(
        '{"long": 0.12345678901234567890123, "short": 0.1, "exp": 1.5e300, "huge": 1e400, "tiny": 1e-400}',
      ),
    ).toEqual({ long: '0.12345678901234567890123', short: 0.1, exp: 1.5e300, huge: '1e400', tiny: '1e-400' });
    expect(exactJsonNumber('123456789012345.678')).toBe('123456789012345.678');
    expect(exactJsonNumber('1234567890.125')).toBe(1234567890.125);
    expect(exactJsonNumber('100.000000000000000000')).toBe(100);
    expect(exactJsonNumber('0.000000000000000000001')).toBe(1e-21);
    expect(Object.is(exactJsonNumber('-0.0'), -0)).toBe(true);
  });

  it('reads everything else as JSON.parse does', () => {
    const text =
      '{"s": "a\\"b\\\\c\\u00e9\\ud83d\\ude00", "t": true, "f": false, "n": null, "a": [[], {}, [1, [2]]], "__proto__": 1, "k": 12345678901234567}';
    const parsed = parseExactJson(text) as Record<string, unknown>;
    const reference = JSON.parse(text) as Record<string, unknown>;
    expect({ ...parsed, k: undefined }).toEqual({ ...reference, k: undefined });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(Object.keys(reference));
    expect(parsed.k).toBe(12345678901234567n);
  });

  it('rejects malformed text with a SyntaxError', () => {
    for (const text of ['{"a": 12345678901234567890', '[1e999,]', '{"a" 1e5}', '"open 1e5']) {
      expect(() => parseExactJson(text)).toThrow(SyntaxError);
    }
  });
});
