import { Dictionary, Field, Int32, List, makeData, RecordBatch, Schema, Struct, Utf8 } from 'apache-arrow';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import type { ChunkerError } from './errors/chunker-error.js';
import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { ChunkerRowSchemaMismatchError } from './errors/chunker-row-schema-mismatch-error.js';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { inferArrowSchema } from './infer-arrow-schema.js';
import { JSON_EXTENSION_NAME } from './internal/json-extension.js';
import { recordBatchToRows } from './record-batch-to-rows.js';
import { RecordBatcher } from './record-batcher.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

function thrown(action: () => unknown): ChunkerError {
  try {
    action();
  } catch (error) {
    return error as ChunkerError;
  }
  throw new Error('expected a throw');
}

/** Stand-in for a Schema (or Field) made by another installed copy of apache-arrow. */
function foreignSchemaLike(): Schema {
  return { fields: [], metadata: new Map(), dictionaries: new Map() } as unknown as Schema;
}

describe('rowsToRecordBatch: typed errors on every path', () => {
  it('refuses a schema from another copy of apache-arrow with CHUNKER_INVALID_SOURCE, as encodeChunks does', () => {
    const error = thrown(() => rowsToRecordBatch([{ a: 1 }], { schema: foreignSchemaLike() }));
    expect(ChunkerInvalidSourceError.isInstance(error)).toBe(true);
    expect((error as ChunkerInvalidSourceError).foreignArrowOrigin).toBe('other-installation');
    expect((error as ChunkerInvalidSourceError).itemIndex).toBe(-1);
    expect(() => new RecordBatcher({ schema: foreignSchemaLike() })).toThrow(ChunkerInvalidSourceError);
  });

  it('refuses a local schema holding a field or type of another copy, naming the field', () => {
    const foreignType = Object.create(null) as Int32;
    const schema = new Schema([new Field('s', new Struct([new Field('inner', foreignType, true)]), true)]);
    const error = thrown(() => rowsToRecordBatch([], { schema }));
    expect(ChunkerInvalidSourceError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/field 's.inner'/);
    const foreignField = {
      name: 'x',
      type: new Int32(),
      nullable: true,
      metadata: new Map(),
    } as unknown as Field;
    expect(() => rowsToRecordBatch([], { schema: new Schema([foreignField]) })).toThrow(
      ChunkerInvalidSourceError,
    );
  });

  it('refuses a schema option that is not a Schema, and rows that are not an array', () => {
    const notSchema = thrown(() => rowsToRecordBatch([], { schema: 'x' as unknown as Schema }));
    expect(ChunkerConfigError.isInstance(notSchema)).toBe(true);
    expect((notSchema as ChunkerConfigError).option).toBe('schema');
    for (const rows of [undefined, null, 'rows', { length: 1 }]) {
      expect(ChunkerInvalidSourceError.isInstance(thrown(() => rowsToRecordBatch(rows as never)))).toBe(true);
      expect(ChunkerInvalidSourceError.isInstance(thrown(() => inferArrowSchema(rows as never)))).toBe(true);
    }
  });
});

describe('lone surrogates: refused with a typed error, never silently replaced', () => {
  const lone = ['a\ud800', '\udc00b', 'x\ud83dy', '\ud800\ud800'];

  it.each(lone)('refuses %j in an inferred string column, naming the row, field and index', (text) => {
    const error = thrown(() => rowsToRecordBatch([{ s: 'ok' }, { s: text }]));
    expect(ChunkerRowSchemaMismatchError.isInstance(error)).toBe(true);
    expect((error as ChunkerRowSchemaMismatchError).rowIndex).toBe(1);
    expect((error as ChunkerRowSchemaMismatchError).fieldPath).toBe('s');
    expect(error.message).toMatch(/lone surrogate .* at index \d/);
  });

  it('refuses them at every nesting level and in dictionary columns', () => {
    const schema = new Schema([
      new Field(
        'deep',
        new Struct([new Field('tags', new List(new Field('item', new Utf8(), true)), true)]),
        true,
      ),
      new Field('dict', new Dictionary(new Utf8(), new Int32()), true),
    ]);
    const nested = thrown(() => rowsToRecordBatch([{ deep: { tags: ['fine', 'bad\udfff'] } }], { schema }));
    expect((nested as ChunkerRowSchemaMismatchError).fieldPath).toBe('deep.tags[]');
    const dictionary = thrown(() => rowsToRecordBatch([{ dict: '\ud800' }], { schema }));
    expect((dictionary as ChunkerRowSchemaMismatchError).fieldPath).toBe('dict');
  });

  it('rejects only the offending write of a RecordBatcher, keeping its batch', async () => {
    const batcher = new RecordBatcher({ schema: new Schema([new Field('s', new Utf8(), true)]) });
    await batcher.write({ s: 'kept' });
    await expect(batcher.write({ s: 'x\ud800' })).rejects.toThrow(ChunkerRowSchemaMismatchError);
    await batcher.close();
    const batches = [];
    for await (const batch of batcher) batches.push(...recordBatchToRows(batch));
    expect(batches).toEqual([{ s: 'kept' }]);
  });

  it('refuses a property name with a lone surrogate when inferring', () => {
    const error = thrown(() => inferArrowSchema([{ 'k\ud800': 1 }]));
    expect(ChunkerUnsupportedTypeError.isInstance(error)).toBe(true);
  });

  it('keeps well-formed text exactly, including astral characters and U+FFFD itself', () => {
    const rows = [{ s: '😀 \ufffd é 中' }, { s: '\ud83d\ude00' }];
    expect(recordBatchToRows(rowsToRecordBatch(rows))).toEqual(rows);
  });

  it('stores a lone surrogate in an arrow.json field exactly, as JSON escapes it', () => {
    const schema = new Schema([
      new Field('j', new Utf8(), true, new Map([['ARROW:extension:name', JSON_EXTENSION_NAME]])),
    ]);
    const rows = [{ j: { text: 'a\ud800' } }];
    expect(recordBatchToRows(rowsToRecordBatch(rows, { schema }))).toEqual(rows);
  });
});

describe('recordBatchToRows: typed errors', () => {
  it('refuses a batch of more rows than a JS array holds (a zero-column batch can declare any count)', () => {
    const schema = new Schema([]);
    const batch = new RecordBatch(schema, makeData({ type: new Struct([]), length: 2 ** 32, children: [] }));
    expect(ChunkerUnsupportedTypeError.isInstance(thrown(() => recordBatchToRows(batch)))).toBe(true);
  });
});
