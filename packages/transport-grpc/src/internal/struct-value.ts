import type { DcmObject, DcmValue } from '../dcm-request.js';
import { TransportError } from '../errors/transport-error.js';
import type { google } from '../gen/sdk.js';

type StructMessage = google.protobuf.Struct.$Properties;
type ValueMessage = google.protobuf.Value.$Properties;

function refuse(path: string, what: string): TransportError {
  return new TransportError(
    'TRANSPORT_CONFIG',
    `${path} is ${what}: a google.protobuf.Struct holds only null, booleans, finite numbers, strings, arrays and plain objects`,
  );
}

function setOwn<Value>(target: Record<string, Value>, key: string, value: Value): void {
  // defineProperty, not assignment: a key such as "__proto__" must stay data, not replace the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function toValue(value: unknown, path: string, ancestors: Set<object>): ValueMessage {
  if (value === null) return { nullValue: 0 };
  switch (typeof value) {
    case 'boolean':
      return { boolValue: value };
    case 'string':
      return { stringValue: value };
    case 'number':
      // Proto3 JSON (and so the AMP SDK's `MessageToDict`) cannot represent NaN or infinities in a Value.
      if (!Number.isFinite(value)) throw refuse(path, String(value));
      return { numberValue: value };
    case 'object': {
      if (ancestors.has(value)) throw refuse(path, 'a circular reference');
      ancestors.add(value);
      try {
        if (Array.isArray(value)) {
          return {
            listValue: { values: value.map((item, index) => toValue(item, `${path}[${index}]`, ancestors)) },
          };
        }
        if (!isPlainObject(value)) throw refuse(path, `a ${value.constructor?.name ?? 'non-plain'} object`);
        return { structValue: toStructMessage(value as Record<string, unknown>, path, ancestors) };
      } finally {
        ancestors.delete(value);
      }
    }
    default:
      throw refuse(path, typeof value === 'undefined' ? 'undefined (in an array)' : `a ${typeof value}`);
  }
}

function toStructMessage(
  source: Record<string, unknown>,
  path: string,
  ancestors: Set<object>,
): StructMessage {
  const fields: Record<string, ValueMessage> = {};
  for (const [key, value] of Object.entries(source)) {
    // An undefined property means "absent", as in JSON; an undefined array element has no such reading.
    if (value === undefined) continue;
    setOwn(fields, key, toValue(value, `${path}.${key}`, ancestors));
  }
  return { fields };
}

/**
 * A plain object as a `google.protobuf.Struct` message. Undefined properties are left out (as in JSON);
 * anything a Struct cannot carry faithfully (NaN, infinities, bigint, functions, Dates, Maps, class
 * instances, undefined array elements, cycles) throws `TRANSPORT_CONFIG` naming where it is.
 */
export function objectToStruct(source: unknown, name: string): StructMessage {
  if (typeof source !== 'object' || source === null || Array.isArray(source) || !isPlainObject(source)) {
    throw refuse(name, 'not a plain object');
  }
  return toStructMessage(source as Record<string, unknown>, name, new Set());
}

function fromValue(value: ValueMessage | null | undefined): DcmValue {
  if (value === null || value === undefined) return null;
  if (value.structValue !== undefined && value.structValue !== null) return structToObject(value.structValue);
  if (value.listValue !== undefined && value.listValue !== null) {
    return (value.listValue.values ?? []).map((item) => fromValue(item));
  }
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.numberValue !== undefined && value.numberValue !== null) return value.numberValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  // null_value, or a Value with no kind set: both read as null, as proto3 JSON does.
  return null;
}

/** A decoded `google.protobuf.Struct` as a plain object (an absent Struct as `{}`). */
export function structToObject(struct: StructMessage | null | undefined): DcmObject {
  const result: Record<string, DcmValue> = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) setOwn(result, key, fromValue(value));
  return result;
}
