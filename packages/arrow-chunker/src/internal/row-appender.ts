import { type Data, makeData, RecordBatch, type Schema, Struct } from 'apache-arrow';
import { ChunkerRowSchemaMismatchError } from '../errors/chunker-row-schema-mismatch-error.js';
import { checkRowSchema } from './check-row-inputs.js';
import { type ColumnBuilder, createColumnBuilder } from './column-builders.js';
import { describeValueKind, isPlainObject } from './describe-value.js';
import {
  compileNormalizer,
  type ExtraFieldsPolicy,
  ownValueReader,
  type ValueNormalizer,
} from './row-value-normalizer.js';

/**
 * Appends row objects to one Arrow builder per column. Each row is fully checked before anything is
 * appended, so a rejected row leaves the batch under construction unchanged.
 */
export class RowAppender {
  readonly schema: Schema;
  private readonly names: string[];
  private readonly known: Set<string>;
  private readonly normalizers: ValueNormalizer[];
  private readonly readers: ((row: Record<string, unknown>) => unknown)[];
  private readonly checkExtraFields: boolean;
  private builders: ColumnBuilder[];
  private readonly scratch: unknown[];
  private appendedRows = 0;

  /** @throws for a schema {@link checkRowSchema} refuses (another apache-arrow copy's, or not a Schema). */
  constructor(schema: Schema, extraFields: ExtraFieldsPolicy) {
    this.schema = checkRowSchema(schema);
    this.names = schema.fields.map((field) => field.name);
    this.known = new Set(this.names);
    this.normalizers = schema.fields.map((field) => compileNormalizer(field, field.name, extraFields));
    this.readers = this.names.map(ownValueReader);
    this.checkExtraFields = extraFields === 'error';
    this.builders = this.createBuilders();
    this.scratch = new Array<unknown>(this.names.length);
  }

  /** Rows appended since the last {@link finish}. */
  get rowCount(): number {
    return this.appendedRows;
  }

  /** Checks and appends one row; `rowIndex` is only used in error messages. */
  append(row: unknown, rowIndex: number): void {
    if (!isPlainObject(row)) {
      throw new ChunkerRowSchemaMismatchError(
        rowIndex,
        '(row)',
        `expected a plain object, got ${describeValueKind(row)}`,
      );
    }
    const { names, normalizers, readers, scratch } = this;
    for (let index = 0; index < names.length; index += 1) {
      scratch[index] = normalizers[index]!(readers[index]!(row), rowIndex);
    }
    if (this.checkExtraFields) {
      for (const key in row) {
        if (!this.known.has(key) && row[key] !== undefined && Object.hasOwn(row, key)) {
          throw new ChunkerRowSchemaMismatchError(
            rowIndex,
            key,
            'the schema has no such field (pass extraFields: "ignore" to drop unknown fields)',
          );
        }
      }
    }
    const builders = this.builders;
    for (let index = 0; index < names.length; index += 1) builders[index]!.append(scratch[index]);
    this.appendedRows += 1;
  }

  /** Returns the appended rows as one RecordBatch and starts a fresh one. */
  finish(): RecordBatch {
    const children: Data[] = this.builders.map((builder) => builder.finish());
    const length = this.appendedRows;
    this.builders = this.createBuilders();
    this.appendedRows = 0;
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }

  private createBuilders(): ColumnBuilder[] {
    return this.schema.fields.map((field) => createColumnBuilder(field.type, field.name));
  }
}
