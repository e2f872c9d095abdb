import type { DataType, Field, Schema } from 'apache-arrow';
import { ChunkerConfigError } from '../errors/chunker-config-error.js';
import { ChunkerInvalidSourceError } from '../errors/chunker-invalid-source-error.js';
import { ChunkerUnsupportedTypeError } from '../errors/chunker-unsupported-type-error.js';
import { isLocalDataType, isLocalField, isLocalSchema } from './arrow-instance.js';
import { describeValueKind } from './describe-value.js';
import { foreignArrowError } from './foreign-arrow-error.js';
import { isWellFormedText, loneSurrogateIndex } from './well-formed-text.js';

/**
 * Checks a schema given for row conversion: an apache-arrow Schema of this package's apache-arrow copy,
 * whose every Field and type (at every nesting level) is too, and whose field names can be written as
 * UTF-8. Arrow's builders do not recognise another copy's types (they fail with a raw "Unrecognized
 * type" error), so these are refused as the encoder refuses another copy's tables.
 *
 * @throws ChunkerInvalidSourceError (with `foreignArrowOrigin`) for Arrow objects of another build or
 * copy; ChunkerConfigError when `schema` is not a Schema at all; ChunkerUnsupportedTypeError for a
 * field name with a lone surrogate.
 */
export function checkRowSchema(schema: unknown): Schema {
  if (!isLocalSchema(schema)) {
    if (looksLikeArrowSchema(schema)) throw foreignArrowError(schema, 'Schema', -1, 'the schema');
    throw new ChunkerConfigError(
      'schema',
      `expected an apache-arrow Schema, got ${describeValueKind(schema)}`,
    );
  }
  checkFields(schema.fields, '');
  return schema;
}

/** @throws ChunkerInvalidSourceError unless `rows` is an array. */
export function checkRowArray(rows: unknown): void {
  if (!Array.isArray(rows)) {
    throw new ChunkerInvalidSourceError(
      -1,
      `rows must be an array of row objects, got ${describeValueKind(rows)}`,
    );
  }
}

function checkFields(fields: readonly Field[], parentPath: string): void {
  for (const field of fields) {
    const path = parentPath === '' ? String(field?.name) : `${parentPath}.${String(field?.name)}`;
    if (!isLocalField(field)) {
      throw foreignArrowError(field, 'Field', -1, `the schema's field '${path}'`);
    }
    if (!isWellFormedText(field.name)) {
      throw new ChunkerUnsupportedTypeError(
        path,
        `the field name has a lone surrogate at index ${loneSurrogateIndex(field.name)}, which UTF-8 (and so Arrow IPC) cannot encode`,
      );
    }
    checkType(field.type, path);
  }
}

function checkType(type: DataType, path: string): void {
  if (!isLocalDataType(type))
    throw foreignArrowError(type, 'DataType', -1, `the type of the schema's field '${path}'`);
  const dictionary = type as DataType & { dictionary?: DataType; indices?: DataType };
  if (dictionary.dictionary !== undefined) checkType(dictionary.dictionary, path);
  if (dictionary.indices !== undefined) checkType(dictionary.indices, path);
  checkFields(type.children ?? [], path);
}

function looksLikeArrowSchema(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { fields?: unknown }).fields) &&
    (value as { metadata?: unknown }).metadata instanceof Map
  );
}
