import { FlowKeyError } from '../errors/flow-key-error';
import type { DiscoveredBinding } from './capture-response';
import { assertCollectionKey, requireCollectionKey, withRequiredCollectionKey } from './collection-key';
import type { JsonObject, JsonValue } from './flow-specs';

function refusal(run: () => unknown): FlowKeyError {
  try {
    run();
  } catch (error) {
    if (FlowKeyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FlowKeyError');
}

const binding = (documentSchema: JsonValue, key: string[]): DiscoveredBinding => ({
  recommendedName: 'users',
  resourceConfig: {},
  documentSchema,
  key,
});

describe('requireCollectionKey', () => {
  it('marks every step of every key pointer required, nested objects too, without touching the input', () => {
    const schema: JsonObject = {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        account: { type: 'object', properties: { region: { type: 'string' } }, required: ['other'] },
      },
      required: ['name'],
    };
    const before = structuredClone(schema);
    const keyed = requireCollectionKey(schema, ['/id', '/account/region'], 'users');
    expect(keyed.required).toEqual(['name', 'id', 'account']);
    expect(((keyed.properties as JsonObject).account as JsonObject).required).toEqual(['other', 'region']);
    expect(schema).toEqual(before);
    // Idempotent, and then what Flow checks passes.
    expect(requireCollectionKey(keyed, ['/id', '/account/region'], 'users')).toEqual(keyed);
    expect(() => assertCollectionKey(binding(keyed, ['/id', '/account/region']))).not.toThrow();
  });

  it('accepts string, integer and boolean keys, nullable or not, declared directly or through enum, const, anyOf and $ref', () => {
    const schema: JsonObject = {
      type: 'object',
      $defs: { code: { type: 'string' } },
      properties: {
        a: { type: 'string' },
        b: { type: ['integer', 'null'] },
        c: { type: 'boolean' },
        d: { enum: ['x', 'y'] },
        e: { const: 3 },
        f: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        g: { $ref: '#/$defs/code' },
      },
    };
    const keyed = requireCollectionKey(schema, ['/a', '/b', '/c', '/d', '/e', '/f', '/g'], 'users');
    expect(keyed.required).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('reads escaped pointers (~1 and ~0) as property names', () => {
    const keyed = requireCollectionKey(
      { type: 'object', properties: { 'order/id': { type: 'string' }, 'a~b': { type: 'integer' } } },
      ['/order~1id', '/a~0b'],
      'orders',
    );
    expect(keyed.required).toEqual(['order/id', 'a~b']);
  });

  it.each([
    ['number', { type: 'number' }, 'number'],
    ['number or null', { type: ['number', 'null'] }, 'null or number'],
    ['integer or number', { type: ['integer', 'number'] }, 'integer or number'],
    ['object', { type: 'object' }, 'object'],
    ['array', { type: 'array', items: { type: 'string' } }, 'array'],
    ['null only', { type: 'null' }, 'null'],
    ['no type', { description: 'anything' }, 'unspecified'],
    ['a float enum', { enum: [1.5, 2] }, 'integer or number'],
  ])('refuses a key of type %s, naming the stream, pointer and type', (_name, property, keyType) => {
    const error = refusal(() =>
      requireCollectionKey({ type: 'object', properties: { id: property as JsonValue } }, ['/id'], 'users'),
    );
    expect(error.code).toBe('FLOW_INVALID_KEY');
    expect(error.stream).toBe('users');
    expect(error.pointer).toBe('/id');
    expect(error.keyType).toBe(keyType);
    expect(error.problem).toBe('type');
    expect(error.message).toContain("stream 'users', key '/id'");
  });

  it('turns an Airbyte integer (number with airbyte_type integer) into an integer key', () => {
    const keyed = requireCollectionKey(
      { type: 'object', properties: { id: { type: ['null', 'number'], airbyte_type: 'integer' } } },
      ['/id'],
      'users',
    );
    expect((keyed.properties as JsonObject).id).toEqual({
      type: ['null', 'integer'],
      airbyte_type: 'integer',
    });
  });

  it('refuses keys under a nullable or non-object parent, undeclared steps, bad pointers and empty keys', () => {
    const nullableParent = refusal(() =>
      requireCollectionKey(
        {
          type: 'object',
          properties: { a: { type: ['object', 'null'], properties: { b: { type: 'string' } } } },
        },
        ['/a/b'],
        'users',
      ),
    );
    expect([nullableParent.problem, nullableParent.keyType]).toEqual(['parent', 'null or object']);
    const arrayParent = refusal(() =>
      requireCollectionKey(
        { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } },
        ['/a/0'],
        'users',
      ),
    );
    expect(arrayParent.problem).toBe('parent');
    const undeclared = refusal(() => requireCollectionKey({ type: 'object' }, ['/id'], 'users'));
    expect([undeclared.problem, undeclared.keyType]).toEqual(['undeclared', 'unspecified']);
    expect(refusal(() => requireCollectionKey({}, ['id'], 'users')).problem).toBe('pointer');
    expect(refusal(() => requireCollectionKey({}, ['/a~2'], 'users')).problem).toBe('pointer');
    expect(refusal(() => requireCollectionKey({}, [], 'users')).problem).toBe('pointer');
  });

  it('inlines a $ref on the key path instead of changing the shared definition', () => {
    const schema: JsonObject = {
      type: 'object',
      definitions: { account: { type: 'object', properties: { id: { type: 'string' } } } },
      properties: { owner: { $ref: '#/definitions/account' }, other: { $ref: '#/definitions/account' } },
    };
    const keyed = requireCollectionKey(schema, ['/owner/id'], 'users');
    const properties = keyed.properties as JsonObject;
    expect(properties.owner).toEqual({
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
    });
    expect(properties.other).toEqual({ $ref: '#/definitions/account' });
    expect((keyed.definitions as JsonObject).account).toEqual(
      (schema.definitions as JsonObject).account as JsonObject,
    );
  });

  it('withRequiredCollectionKey keeps every other field of the binding', () => {
    const keyed = withRequiredCollectionKey({
      ...binding({ type: 'object', properties: { id: { type: 'string' } } }, ['/id']),
      disable: true,
    });
    expect(keyed.disable).toBe(true);
    expect((keyed.documentSchema as JsonObject).required).toEqual(['id']);
  });
});

describe('assertCollectionKey', () => {
  it('refuses a key that is not required, as Flow does when the catalog is published', () => {
    const error = refusal(() =>
      assertCollectionKey(binding({ type: 'object', properties: { id: { type: 'integer' } } }, ['/id'])),
    );
    expect([error.problem, error.keyType, error.pointer]).toEqual(['not-required', 'integer', '/id']);
  });

  it('reads an Airbyte integer as the number Flow would see', () => {
    const error = refusal(() =>
      assertCollectionKey(
        binding(
          {
            type: 'object',
            properties: { id: { type: 'number', airbyte_type: 'integer' } },
            required: ['id'],
          },
          ['/id'],
        ),
      ),
    );
    expect([error.problem, error.keyType]).toEqual(['type', 'number']);
  });
});
