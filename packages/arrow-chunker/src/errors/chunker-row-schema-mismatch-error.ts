import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';

/** A row does not fit the Arrow schema it is converted with (wrong type, null in a non-nullable field, unknown field). */
export class ChunkerRowSchemaMismatchError extends ChunkerError {
  /** 0-based index of the offending row (within the call, or within the batcher's lifetime). */
  readonly rowIndex: number;
  /** Dotted path of the offending field, e.g. `address.city` or `tags[2]`. */
  readonly fieldPath: string;

  constructor(rowIndex: number, fieldPath: string, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_ROW_SCHEMA_MISMATCH', `row ${rowIndex}, field '${fieldPath}': ${message}`, options);
    this.rowIndex = rowIndex;
    this.fieldPath = fieldPath;
  }
}
