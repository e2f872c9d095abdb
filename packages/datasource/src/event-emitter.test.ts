import { EventEmitter } from './event-emitter';

interface TestEvents {
  a: number;
  b: string;
}

describe('EventEmitter', () => {
  it('calls wildcard handlers first with the name, then named handlers, and chains', () => {
    const emitter = new EventEmitter<TestEvents>();
    const calls: string[] = [];
    const returned = emitter
      .on('a', (value) => calls.push(`a:${value}`))
      .on('*', (name, value) => calls.push(`*:${name}:${String(value)}`));
    expect(returned).toBe(emitter);
    emitter.fire('a', 1).fire('b', 'x');
    expect(calls).toEqual(['*:a:1', 'a:1', '*:b:x']);
  });

  it('deduplicates the same handler and supports off()', () => {
    const emitter = new EventEmitter<TestEvents>();
    let count = 0;
    const handler = (): void => {
      count++;
    };
    emitter.on('a', handler).on('a', handler);
    emitter.fire('a', 1);
    expect(count).toBe(1);
    emitter.off('a', handler).fire('a', 2);
    expect(count).toBe(1);
  });

  it('lets handler exceptions reach the caller of fire()', () => {
    const emitter = new EventEmitter<TestEvents>();
    emitter.on('b', () => {
      throw new RangeError('handler failed');
    });
    expect(() => emitter.fire('b', 'x')).toThrow(RangeError);
  });
});
