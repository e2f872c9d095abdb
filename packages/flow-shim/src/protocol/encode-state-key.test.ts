import { encodeStateKey } from './encode-state-key';
import { jsonPointerFromPath } from './json-pointer';

describe('encodeStateKey', () => {
  // The runtime's own test vectors (estuary/flow crates/assemble).
  it.each([
    [['table'], 0, 'table'],
    [['public', 'table'], 1, 'public%2Ftable.v1'],
    [['he!lo৬', 'a/part%', '_¾the-=res+.'], 3, 'he%21lo৬%2Fa%2Fpart%25%2F_¾the-=res+..v3'],
  ])('encodes %j backfill %d as %s', (path, backfill, expected) => {
    expect(encodeStateKey(path, backfill)).toBe(expected);
  });

  it('percent-encodes multi-byte non-alphanumerics byte by byte', () => {
    expect(encodeStateKey(['a b€'])).toBe('a%20b%E2%82%AC');
  });
});

describe('jsonPointerFromPath', () => {
  it('escapes ~ and / in each part', () => {
    expect(jsonPointerFromPath(['a/b', 'c~d', 'e'])).toBe('/a~1b/c~0d/e');
    expect(jsonPointerFromPath([])).toBe('');
  });
});
