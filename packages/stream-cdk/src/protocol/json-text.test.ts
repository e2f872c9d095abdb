import { toJsonText } from './json-text';

describe('toJsonText', () => {
  it('writes bigints as exact JSON integers, at any depth', () => {
    const text = toJsonText({ a: 12345678901234567890n, b: [-9223372036854775808n, 1], c: { d: 2n ** 70n } });
    expect(text).toBe(
      '{"a":12345678901234567890,"b":[-9223372036854775808,1],"c":{"d":1180591620717411303424}}',
    );
  });

  it('is JSON.stringify for everything else, strings that look like markers included', () => {
    const value = { s: 'x"12"x', n: 1.5, nested: [null, true, 'é'], text: '0123456789abcdef01234567123' };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
    expect(toJsonText({ big: 1n, s: 'plain' })).toBe('{"big":1,"s":"plain"}');
  });

  it('still throws for values JSON cannot hold', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toJsonText(cycle)).toThrow(TypeError);
  });
});
