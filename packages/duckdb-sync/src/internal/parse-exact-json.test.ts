import { parseExactJson } from './parse-exact-json';

describe('parseExactJson', () => {
  it('keeps integers beyond 2^53 exact as bigints, everything else as JSON.parse reads it', () => {
    const text =
      '{"a":9007199254740993,"b":-170141183460469231731687303715884105728,"c":1234567890123456,"d":1.5e300,"e":"x\\n\\u00e9 9007199254740993","f":[null,true,false,{}],"g":12345678901234567.5}';
    expect(parseExactJson(text)).toEqual({
      a: 9_007_199_254_740_993n,
      b: -170_141_183_460_469_231_731_687_303_715_884_105_728n,
      c: 1_234_567_890_123_456,
      d: 1.5e300,
      e: 'x\né 9007199254740993',
      f: [null, true, false, {}],
      g: Number('12345678901234567.5'),
    });
  });

  it('reads text without long integers with JSON.parse', () => {
    expect(parseExactJson('{"a": [1, 2.5, "s"]}')).toEqual({ a: [1, 2.5, 's'] });
  });

  it('keeps "__proto__" as a plain key', () => {
    const value = parseExactJson('{"__proto__": {"x": 1}, "n": 12345678901234567890}') as Record<
      string,
      unknown
    >;
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    '{"a": 12345678901234567890',
    '{"a": 12345678901234567890,}',
    '[12345678901234567890] x',
    '{"a": 01234567890123456789}',
    '"\u0001 1234567890123456"',
  ])('refuses %j', (text) => {
    expect(() => parseExactJson(text)).toThrow(SyntaxError);
  });
});
