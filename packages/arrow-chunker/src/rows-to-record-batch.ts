import type { RecordBatch, Schema } from 'apache-arrow';
import { type InferSchemaOptions, inferArrowSchema } from './infer-arrow-schema.js';
import { checkRowArray } from './internal/check-row-inputs.js';
import { RowAppender } from './internal/row-appender.js';
import { extraFieldsOption } from './internal/validate-options.js';

/** Options of {@link rowsToRecordBatch}. */
export interface RowsToRecordBatchOptions extends InferSchemaOptions {
  /** Schema the rows must fit. Defaults to one inferred from the rows ({@link inferArrowSchema}). */
  schema?: Schema;
  /**
   * Row properties the schema does not have: `'error'` (default) rejects the row so that no data is
   * silently lost; `'ignore'` drops them. Properties whose value is `undefined` are always ignored.
   */
  extraFields?: 'error' | 'ignore';
}

/**
 * Converts plain row objects into one RecordBatch, with a given schema or an inferred one.
 *
 * Accepted values per Arrow type: Bool boolean; Int8..Int32 integer numbers (or bigints) in range;
 * Int64/Uint64 bigint or integer number; Float number; Utf8 string (`arrow.json` fields: any
 * JSON-serialisable value, stored as JSON text, bigints as exact integers); Binary Uint8Array; Timestamp/Date Date, epoch
 * milliseconds or an ISO 8601 string (one without a zone is read as UTC; sub-millisecond parts are
 * truncated); Dictionary<Utf8> string;
 * Struct plain object; List array; null/undefined for nullable fields.
 *
 * Strings (and inferred field names) must be well-formed UTF-16: a string with a lone surrogate
 * (U+D800..U+DFFF without its pair) has no UTF-8 encoding, so it is refused with
 * ChunkerRowSchemaMismatchError rather than silently stored as U+FFFD; repair such text first
 * (`text.toWellFormed()` replaces lone surrogates with U+FFFD, if that is what you want).
 *
 * @throws ChunkerRowSchemaMismatchError naming the row index and field path of the first value that
 * does not fit (including strings with a lone surrogate); ChunkerUnsupportedTypeError when inference
 * meets a value it cannot type, or the schema holds an Arrow type rows cannot be converted to (Decimal,
 * Interval, Union, Map, ...); ChunkerInvalidSourceError when `rows` is not an array, or `schema` (or a
 * field or type in it) comes from another apache-arrow build or copy (`foreignArrowOrigin` says which,
 * as for {@link encodeChunks}); ChunkerConfigError when `schema` is not a Schema.
 */
export function rowsToRecordBatch(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: RowsToRecordBatchOptions = {},
): RecordBatch {
  checkRowArray(rows);
  const schema = options.schema ?? inferArrowSchema(rows, options);
  const appender = new RowAppender(schema, extraFieldsOption(options.extraFields));
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex += 1) appender.append(rows[rowIndex], rowIndex);
  return appender.finish();
}
