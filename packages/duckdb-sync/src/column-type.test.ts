import { columnTypeForJsonSchema, columnTypeOfDuckDbType } from './column-type';

describe('columnTypeForJsonSchema', () => {
  it.each([
    [{ type: 'integer' }, 'BIGINT'],
    [{ type: ['null', 'integer'] }, 'BIGINT'],
    [{ type: 'integer', maximum: 2 ** 64 }, 'HUGEINT'],
    [{ type: 'integer', airbyte_type: 'big_integer' }, 'HUGEINT'],
    [{ type: 'number', airbyte_type: 'integer' }, 'BIGINT'],
    [{ type: 'number' }, 'DOUBLE'],
    [{ type: 'string' }, 'VARCHAR'],
    [{ type: 'string', format: 'date-time' }, 'TIMESTAMPTZ'],
    [{ type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' }, 'TIMESTAMP'],
    [{ type: 'string', format: 'date' }, 'DATE'],
    [{ type: 'boolean' }, 'BOOLEAN'],
    [{ type: 'object' }, 'JSON'],
    [{ type: 'array' }, 'JSON'],
    [{ type: ['string', 'integer'] }, 'JSON'],
    [{ anyOf: [{ type: 'string' }] }, 'JSON'],
    [{}, 'JSON'],
    [true, 'JSON'],
  ])('maps %j to %s', (schema, expected) => {
    expect(columnTypeForJsonSchema(schema)).toBe(expected);
  });

  it('reads back the types an earlier sync created', () => {
    expect(columnTypeOfDuckDbType('TIMESTAMP WITH TIME ZONE')).toBe('TIMESTAMPTZ');
    expect(columnTypeOfDuckDbType('HUGEINT')).toBe('HUGEINT');
    expect(columnTypeOfDuckDbType('INTEGER')).toBe('BIGINT');
  });
});
