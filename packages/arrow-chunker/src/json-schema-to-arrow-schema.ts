import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  List,
  Null,
  Schema,
  Struct,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';
import { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
import { isPlainObject } from './internal/describe-value.js';
import { jsonExtensionMetadata } from './internal/json-extension.js';

/** The subset of JSON Schema (draft 7, as in Airbyte catalogs) that {@link jsonSchemaToArrowSchema} reads. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  /** Airbyte's refinement, e.g. `integer`, `timestamp_with_timezone`, `timestamp_without_timezone`. */
  airbyte_type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [keyword: string]: unknown;
}

/**
 * Maps a JSON Schema object (an Airbyte stream's `json_schema`) to an Arrow schema, one field per
 * property, in property order.
 *
 * - `string` -> Utf8; with `format: date-time` -> Timestamp(us, "UTC") (Timestamp(us) without zone for
 *   `airbyte_type: timestamp_without_timezone`); `format: date` -> Date(day).
 * - `integer` (or `number` with `airbyte_type: integer`) -> Int64; `number` -> Float64; `boolean` -> Bool.
 * - `object` with `properties` -> Struct; `array` with a single `items` schema -> List.
 * - Anything without a single clear type (no `type`, several non-null types, `object` without
 *   `properties`, `array` without `items`, tuple `items`) -> Utf8 marked as the `arrow.json` extension,
 *   so values keep their full JSON form.
 * - A field is nullable when its type list (or `anyOf`/`oneOf`) includes `"null"`, or when the property is
 *   not listed in `required` (rows may omit it). `"null"` alone -> Null.
 *
 * @throws ChunkerUnsupportedTypeError naming the property path when the root is not an object schema
 * or a `type` is not a JSON Schema type name.
 */
export function jsonSchemaToArrowSchema(jsonSchema: JsonSchema): Schema {
  if (!isPlainObject(jsonSchema)) {
    throw new ChunkerUnsupportedTypeError('(root)', 'the JSON Schema must be an object');
  }
  const { types } = readTypes(jsonSchema, '(root)');
  if (!types.includes('object') || !isPlainObject(jsonSchema.properties)) {
    throw new ChunkerUnsupportedTypeError(
      '(root)',
      'the root JSON Schema must be an object with "properties"',
    );
  }
  return new Schema(propertiesToFields(jsonSchema, ''));
}

const TYPE_NAMES = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

function propertiesToFields(schema: JsonSchema, parentPath: string): Field[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fields: Field[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = parentPath === '' ? name : `${parentPath}.${name}`;
    fields.push(propertyToField(name, property, path, !required.has(name)));
  }
  return fields;
}

function propertyToField(name: string, property: JsonSchema, path: string, optional: boolean): Field {
  if (!isPlainObject(property)) {
    throw new ChunkerUnsupportedTypeError(path, 'a property schema must be an object');
  }
  const { types, resolved } = readTypes(property, path);
  const nonNull = types.filter((type) => type !== 'null');
  const nullable = optional || types.includes('null') || types.length === 0;
  if (types.length > 0 && nonNull.length === 0) return new Field(name, new Null(), true);
  if (nonNull.length !== 1) return jsonField(name, nullable);
  const type = toArrowType(nonNull[0]!, resolved, path);
  if (type === undefined) return jsonField(name, nullable);
  return new Field(name, type, nullable);
}

function toArrowType(typeName: string, schema: JsonSchema, path: string): DataType | undefined {
  switch (typeName) {
    case 'string':
      if (schema.format === 'date-time') {
        return new TimestampMicrosecond(schema.airbyte_type === 'timestamp_without_timezone' ? null : 'UTC');
      }
      if (schema.format === 'date') return new DateDay();
      return new Utf8();
    case 'integer':
      return new Int64();
    case 'number':
      return schema.airbyte_type === 'integer' ? new Int64() : new Float64();
    case 'boolean':
      return new Bool();
    case 'object':
      if (!isPlainObject(schema.properties) || Object.keys(schema.properties).length === 0) return undefined;
      return new Struct(propertiesToFields(schema, path));
    case 'array': {
      if (!isPlainObject(schema.items)) return undefined;
      const element = propertyToField('item', schema.items as JsonSchema, `${path}[]`, true);
      return new List(element);
    }
    default:
      return undefined;
  }
}

/**
 * Reads the type names of a schema, following `anyOf`/`oneOf` whose branches all share one non-null
 * type (the common "nullable" encoding); `resolved` is the branch holding format/properties/items.
 */
function readTypes(schema: JsonSchema, path: string): { types: string[]; resolved: JsonSchema } {
  const declared = schema.type;
  if (declared !== undefined) {
    const types = Array.isArray(declared) ? declared : [declared];
    for (const type of types) {
      if (typeof type !== 'string' || !TYPE_NAMES.has(type)) {
        throw new ChunkerUnsupportedTypeError(path, `"${String(type)}" is not a JSON Schema type`);
      }
    }
    return { types, resolved: schema };
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) {
    const types: string[] = [];
    let resolved: JsonSchema = schema;
    let nonNullBranches = 0;
    for (const branch of branches) {
      const inner = readTypes(branch, path);
      for (const type of inner.types) if (!types.includes(type)) types.push(type);
      if (inner.types.some((type) => type !== 'null')) {
        resolved = inner.resolved;
        nonNullBranches += 1;
      }
    }
    // Two non-null branches of the same type may still differ (e.g. two object shapes): keep them as JSON.
    if (nonNullBranches > 1) return { types: [...types, 'mixed'], resolved: schema };
    return { types, resolved };
  }
  return { types: [], resolved: schema };
}

function jsonField(name: string, nullable: boolean): Field {
  return new Field(name, new Utf8(), nullable, jsonExtensionMetadata());
}
