import { StateContractError } from '../errors/state-contract-error';
import { stateIdsOfBatch } from './state-contract';

const reported = [
  { stateId: 'a', state: { next: 1 } },
  { stateId: 'b', state: { next: 2 } },
];

describe('stateIdsOfBatch', () => {
  it('returns the reported ids the records use', () => {
    expect([...stateIdsOfBatch([{ __state: 'b' }, { __state: 'b' }], reported, true)]).toEqual(['b']);
  });

  it.each([
    ['a record that is not an object', [null], true],
    ['a record without __state in strict mode', [{ id: 1 }], true],
    ['an id that was never reported', [{ __state: 'z' }], false],
  ])('refuses %s', (_label, batch, strict) => {
    expect(() => stateIdsOfBatch(batch as never, reported, strict)).toThrow(StateContractError);
  });

  it('lets records omit __state in lenient mode', () => {
    expect(stateIdsOfBatch([{ id: 1 }], reported, false).size).toBe(0);
  });
});
