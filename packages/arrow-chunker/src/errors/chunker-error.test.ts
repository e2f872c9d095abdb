import { ChunkerError } from './chunker-error.js';

class ExampleSubclassError extends ChunkerError {
  constructor() {
    super('CHUNKER_CLOSED', 'example');
  }
}

describe('ChunkerError', () => {
  it('prefixes the message with the code and keeps the cause', () => {
    const cause = new Error('root');
    const error = new ChunkerError('CHUNKER_CONFIG', 'maxChunkBytes must be positive', { cause });
    expect(error.message).toBe('[CHUNKER_CONFIG] maxChunkBytes must be positive');
    expect(error.code).toBe('CHUNKER_CONFIG');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('ChunkerError');
  });

  it('recognises instances from another copy of the package by marker', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@sdk/arrow-chunker/ChunkerError')]: true,
    });
    expect(ChunkerError.isInstance(foreign)).toBe(true);
    expect(ChunkerError.isInstance(new Error('plain'))).toBe(false);
    expect(ChunkerError.isInstance('not an error')).toBe(false);
  });

  it('narrows isInstance to the subclass it is called on', () => {
    const sub = new ExampleSubclassError();
    expect(ExampleSubclassError.isInstance(sub)).toBe(true);
    expect(ChunkerError.isInstance(sub)).toBe(true);
    expect(ExampleSubclassError.isInstance(new ChunkerError('CHUNKER_CLOSED', 'base'))).toBe(false);
    expect(sub.name).toBe('ExampleSubclassError');
  });
});
