import { jsonText } from './json-text.js';

describe('jsonText', () => {
  it('writes bigints as exact JSON integers and is JSON.stringify otherwise', () => {
    expect(jsonText({ n: 12345678901234567890n, list: [1n, 'x'], s: '"1"' })).toBe(
      '{"n":12345678901234567890,"list":[1,"x"],"s":"\\"1\\""}',
    );
    const plain = { a: [1, null, 'é'], b: { c: true } };
    expect(jsonText(plain)).toBe(JSON.stringify(plain));
    expect(jsonText(undefined)).toBeUndefined();
  });
});
