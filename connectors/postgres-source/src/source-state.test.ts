import { InvalidStateError } from './errors/invalid-state-error';
import { parseSourcePositions } from './source-state';

test('no state means every table starts from its beginning', () => {
  expect(parseSourcePositions(undefined).size).toBe(0);
});

test('reads one position per table', () => {
  const positions = parseSourcePositions({
    'public.a': { keys: ['id'], after: [10], loaded: 10, complete: false },
    'sales.b': { keys: ['k1', 'k2'], after: ['x', 2], loaded: 3, complete: true },
  });
  expect(positions.get('sales.b')).toEqual({
    keys: ['k1', 'k2'],
    after: ['x', 2],
    loaded: 3,
    complete: true,
  });
});

test.each([
  ['not an object', 'x'],
  ['an array', []],
  [
    'keys and after of different lengths',
    { t: { keys: ['a', 'b'], after: [1], loaded: 1, complete: false } },
  ],
  ['a negative count', { t: { keys: ['a'], after: [1], loaded: -1, complete: false } }],
  ['an object key value', { t: { keys: ['a'], after: [{}], loaded: 1, complete: false } }],
  ['no complete flag', { t: { keys: ['a'], after: [1], loaded: 1 } }],
])('rejects %s with InvalidStateError', (_, state) => {
  expect(() => parseSourcePositions(state)).toThrow(InvalidStateError);
  try {
    parseSourcePositions(state);
  } catch (error) {
    expect((error as InvalidStateError).code).toBe('POSTGRES_INVALID_STATE');
  }
});
