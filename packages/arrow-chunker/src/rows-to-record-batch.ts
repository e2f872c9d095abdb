import type { RecordBatch, Schema } from 'apache-arrow';
import { type InferSchemaOptions, inferArrowSchema } from './infer-arrow-schema.js';
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
 * JSON-serialisable value, stored as JSON text); Binary Uint8Array; Timestamp/Date Date, epoch
 * milliseconds or an ISO 8601 string (one without a zone is read as UTC; sub-millisecond parts are
 * truncated); Dictionary<Utf8> string;
 * Struct plain object; List array; null/undefined for nullable fields.
 *
 * @throws ChunkerRowSchemaMismatchError naming the row index and field path of the first value that
 * does not fit; ChunkerUnsupportedTypeError when inference meets a value it cannot type, or the schema
 * holds an Arrow type rows cannot be converted to (Decimal, Interval, Union, Map, ...).
 */
export function rowsToRecordBatch(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: RowsToRecordBatchOptions = {},
): RecordBatch {
  const schema = options.schema ?? inferArrowSchema(rows, options);
  const appender = new RowAppender(schema, extraFieldsOption(options.extraFields));
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex += 1) appender.append(rows[rowIndex], rowIndex);
  return appender.finish();
}
