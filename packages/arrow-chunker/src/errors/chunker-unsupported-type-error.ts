import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';

/**
 * A value or schema construct has no Arrow mapping here: a JS value inference cannot type (function,
 * symbol, class instance, mixed kinds in one column), or a JSON Schema / Arrow type this package does not convert.
 */
export class ChunkerUnsupportedTypeError extends ChunkerError {
  /** Dotted path of the field concerned, e.g. `payload.items[]`. */
  readonly fieldPath: string;

  constructor(fieldPath: string, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_UNSUPPORTED_TYPE', `field '${fieldPath}': ${message}`, options);
    this.fieldPath = fieldPath;
  }
}
