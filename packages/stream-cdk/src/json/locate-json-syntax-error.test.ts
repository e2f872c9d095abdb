import { locateJsonSyntaxError } from './locate-json-syntax-error';
import { parseJsonText } from './parse-json-text';

describe('locateJsonSyntaxError', () => {
  it.each([
    '{}',
    '[]',
    ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ',
    '"just a string"',
    '0',
  ])('finds nothing wrong in valid JSON %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(locateJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{\n  "client_id": "abc",\n  "client_secret": hunter22,\n}', 3, 20, 'expected a value'],
    ['', 1, 1, 'unexpected end of input, expected a value'],
    ['{"a": 1,}', 1, 9, 'expected a property name in double quotes'],
    ['{"a" 1}', 1, 6, "expected ':' after a property name"],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{"a": "unterminated', 1, 7, 'unterminated string starting'],
    ['{"a": "bad \\x escape"}', 1, 12, 'invalid escape in a string'],
    ['{} {}', 1, 4, 'unexpected data after the JSON value'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['{"a": [1, 2', 1, 12, "unexpected end of input, expected ',' or ']'"],
    ['\r\n\r\n  nope', 3, 3, 'expected a value'],
  ])('locates the error in %j at line %i column %i', (text, line, column, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonSyntaxError(text)).toMatchObject({ line, column, reason });
  });
});

describe('parseJsonText', () => {
  it('parses JSON, ignoring a byte order mark', () => {
    expect(parseJsonText('\ufeff{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('says where the text stops being JSON and quotes none of it', () => {
    const text = '{\n  "client_id": "abc",\n  "client_secret": hunter22,\n  "other": "x"\n}';
    const result = parseJsonText(text);
    expect(result).toEqual({ ok: false, where: 'expected a value at line 3 column 20' });
    // V8's own message quotes the text around the error: the reason this function exists.
    expect(() => JSON.parse(text)).toThrow();
  });
});
