import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';

/** Something was handed to an assembler or batcher after it was closed. */
export class ChunkerClosedError extends ChunkerError {
  /** What was closed, e.g. `assembler on channel 'x'` or `RecordBatcher`. */
  readonly target: string;

  constructor(target: string, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_CLOSED', `${target}: ${message}`, options);
    this.target = target;
  }
}
