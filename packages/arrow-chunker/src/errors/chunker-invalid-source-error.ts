import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';

/**
 * Where a refused Arrow object comes from: `other-module-format` is the same apache-arrow install's
 * other build (apache-arrow loaded with `import` and this package with `require()`, or the reverse);
 * `other-installation` is another installed copy (another version or path).
 */
export type ForeignArrowOrigin = 'other-module-format' | 'other-installation';

/** Options of {@link ChunkerInvalidSourceError}. */
export interface ChunkerInvalidSourceErrorOptions extends ChunkerErrorOptions {
  /** Set when the source is an Arrow object of another apache-arrow build or copy. Defaults to none. */
  foreignArrowOrigin?: ForeignArrowOrigin;
}

/**
 * The encoder was given something that is not a Table, RecordBatch or (async) iterable of RecordBatches,
 * or Arrow objects from another apache-arrow build or copy (which Arrow's writer silently corrupts).
 */
export class ChunkerInvalidSourceError extends ChunkerError {
  /** 0-based index of the offending item in the source iterable, or -1 for the source itself. */
  readonly itemIndex: number;
  /** For Arrow objects of another apache-arrow build or copy: which of the two; otherwise undefined. */
  readonly foreignArrowOrigin: ForeignArrowOrigin | undefined;

  constructor(itemIndex: number, message: string, options: ChunkerInvalidSourceErrorOptions = {}) {
    super('CHUNKER_INVALID_SOURCE', itemIndex < 0 ? message : `item ${itemIndex}: ${message}`, options);
    this.itemIndex = itemIndex;
    this.foreignArrowOrigin = options.foreignArrowOrigin;
  }
}
