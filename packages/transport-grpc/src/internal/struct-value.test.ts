import { TransportError } from '../errors/transport-error.js';
import generated from '../gen/sdk.js';
import { objectToStruct, structToObject } from './struct-value.js';

const StructCodec = generated.google.protobuf.Struct;

/** Through the real wire encoding, as a DCM response or parameters travel. */
function roundTrip(value: unknown) {
  const bytes = StructCodec.encode(objectToStruct(value, 'value')).finish();
  return structToObject(StructCodec.decode(bytes));
}

function expectConfigError(run: () => unknown, where: string): void {
  try {
    run();
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as TransportError).code).toBe('TRANSPORT_CONFIG');
    expect((error as TransportError).message).toContain(where);
    return;
  }
  throw new Error('expected TRANSPORT_CONFIG');
}

describe('google.protobuf.Struct <-> plain objects', () => {
  it('keeps nested objects, lists, numbers, booleans, strings and null through the wire encoding', () => {
    const value = {
      id: 'conn-1',
      port: 5432,
      ratio: -0.25,
      enabled: true,
      disabled: false,
      nothing: null,
      empty: {},
      tags: ['a', 1, false, null, { deep: [[]] }],
      nested: { level: { level: { name: 'x', list: [1.5, 2.5] } } },
    };
    expect(roundTrip(value)).toEqual(value);
  });

  it('leaves undefined properties out, as JSON does', () => {
    expect(roundTrip({ kept: 1, dropped: undefined })).toEqual({ kept: 1 });
  });

  it('keeps a "__proto__" key as data without touching the prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as Record<string, unknown>;
    const result = roundTrip(source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'plain']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads an absent Struct as an empty object', () => {
    expect(structToObject(undefined)).toEqual({});
    expect(structToObject(null)).toEqual({});
  });

  it('refuses what a Struct cannot carry faithfully, naming where it is', () => {
    expectConfigError(() => objectToStruct({ a: Number.NaN }, 'params'), 'params.a');
    expectConfigError(() => objectToStruct({ a: { b: Number.POSITIVE_INFINITY } }, 'params'), 'params.a.b');
    expectConfigError(() => objectToStruct({ list: [1, undefined] }, 'params'), 'params.list[1]');
    expectConfigError(() => objectToStruct({ when: new Date(0) }, 'params'), 'params.when');
    expectConfigError(() => objectToStruct({ big: 10n }, 'params'), 'params.big');
    expectConfigError(() => objectToStruct({ map: new Map() }, 'params'), 'params.map');
    expectConfigError(() => objectToStruct(['not', 'an', 'object'], 'params'), 'params');
    expectConfigError(() => objectToStruct('text', 'params'), 'params');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectConfigError(() => objectToStruct(cyclic, 'params'), 'params.self');
  });

  it('accepts the same object twice in one value (shared, not circular)', () => {
    const shared = { n: 1 };
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });
});
