import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';

/** An option has a value this package cannot work with (for example `maxChunkBytes: 0`). */
export class ChunkerConfigError extends ChunkerError {
  /** Name of the offending option, e.g. `maxChunkBytes`. */
  readonly option: string;

  constructor(option: string, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_CONFIG', `option '${option}': ${message}`, options);
    this.option = option;
  }
}
