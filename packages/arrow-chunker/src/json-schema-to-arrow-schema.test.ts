import type { ChunkerError } from './errors/chunker-error.js';
import { type JsonSchema, jsonSchemaToArrowSchema } from './json-schema-to-arrow-schema.js';
import { recordBatchToRows } from './record-batch-to-rows.js';
import { rowsToRecordBatch } from './rows-to-record-batch.js';

function describeFields(schema: JsonSchema): string[] {
  return jsonSchemaToArrowSchema(schema).fields.map(
    (field) =>
      `${field.name}: ${field.type}${field.nullable ? '?' : ''}${field.metadata.get('ARROW:extension:name') === 'arrow.json' ? ' json' : ''}`,
  );
}

describe('jsonSchemaToArrowSchema', () => {
  it('maps an Airbyte-style stream schema', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'integer' },
        name: { type: ['null', 'string'] },
        price: { type: ['number', 'null'] },
        count: { type: 'number', airbyte_type: 'integer' },
        active: { type: 'boolean' },
        updated_at: {
          type: ['null', 'string'],
          format: 'date-time',
          airbyte_type: 'timestamp_with_timezone',
        },
        local_at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
        birthday: { type: 'string', format: 'date' },
        address: {
          type: ['null', 'object'],
          properties: { city: { type: 'string' }, zip: { type: 'integer' } },
        },
        tags: { type: 'array', items: { type: ['null', 'string'] } },
        payload: { type: 'object' },
        anything: {},
        either: { type: ['string', 'integer'] },
        nullable_ref: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
        always_null: { type: 'null' },
      },
    };
    expect(describeFields(schema)).toEqual([
      'id: Int64',
      'name: Utf8?',
      'price: Float64?',
      'count: Int64?',
      'active: Bool?',
      'updated_at: Timestamp<MICROSECOND, UTC>?',
      'local_at: Timestamp<MICROSECOND>?',
      'birthday: Date32<DAY>?',
      'address: Struct<{city:Utf8, zip:Int64}>?',
      'tags: List<Utf8>?',
      'payload: Utf8? json',
      'anything: Utf8? json',
      'either: Utf8? json',
      'nullable_ref: Timestamp<MICROSECOND, UTC>?',
      'always_null: Null?',
    ]);
  });

  it('gives a schema that Airbyte-style records convert into and back', () => {
    const schema = jsonSchemaToArrowSchema({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        at: { type: 'string', format: 'date-time' },
        payload: { type: 'object' },
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
      },
    });
    const records = [
      { id: 1, at: '2024-05-06T07:08:09.010Z', payload: { a: [1, 'two', null] }, items: [{ sku: 'A' }] },
      { id: 2, at: null, payload: 'plain', items: null },
    ];
    const rows = recordBatchToRows(rowsToRecordBatch(records, { schema }));
    expect(rows).toEqual([
      {
        id: 1n,
        at: new Date('2024-05-06T07:08:09.010Z'),
        payload: { a: [1, 'two', null] },
        items: [{ sku: 'A' }],
      },
      { id: 2n, at: null, payload: 'plain', items: null },
    ]);
  });

  it('rejects roots that are not object schemas and unknown type names', () => {
    for (const bad of [
      { type: 'string' },
      { type: 'object' },
      { type: 'object', properties: { a: { type: 'date' } } },
    ]) {
      let caught: ChunkerError | undefined;
      try {
        jsonSchemaToArrowSchema(bad as JsonSchema);
      } catch (error) {
        caught = error as ChunkerError;
      }
      expect(caught?.code).toBe('CHUNKER_UNSUPPORTED_TYPE');
    }
  });
});

describe('date-time values through the JSON Schema route', () => {
  it('keep their microseconds, before and after the epoch, with or without a zone', () => {
    const schema = jsonSchemaToArrowSchema({
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        local: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
      },
    });
    const batch = rowsToRecordBatch(
      [
        { at: '2026-01-01T10:00:00.123456Z', local: '2024-06-01 12:00:00.654321' },
        { at: '1969-12-31T23:59:59.123456+00:00', local: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 7)) },
        { at: '2026-01-01 10:00:00.1+00', local: 1.5 },
      ],
      { schema },
    );
    const micros = (name: string) => Array.from(batch.getChild(name)?.data[0]?.values as BigInt64Array);
    expect(micros('at')).toEqual([1767261600123456n, -876544n, 1767261600100000n]);
    expect(micros('local')).toEqual([1717243200654321n, 1767225600007000n, 1500n]);
  });
});
