import { ChunkerError, type ChunkerErrorOptions } from './chunker-error';

/**
 * The encoder was given something that is not a Table, RecordBatch or (async) iterable of RecordBatches,
 * or Arrow objects from a different copy of apache-arrow (which Arrow's writer silently corrupts).
 */
export class ChunkerInvalidSourceError extends ChunkerError {
  /** 0-based index of the offending item in the source iterable, or -1 for the source itself. */
  readonly itemIndex: number;

  constructor(itemIndex: number, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_INVALID_SOURCE', itemIndex < 0 ? message : `item ${itemIndex}: ${message}`, options);
    this.itemIndex = itemIndex;
  }
}
