import { BridgeError } from './errors/bridge-error';

/** A JSON Schema (draft 7) object, as Airbyte catalogs and Flow bindings carry it. */
export type JsonSchemaObject = Record<string, unknown>;

/** Options of {@link inferJsonSchema}. */
export interface InferJsonSchemaOptions {
  /** Top-level fields left out of the schema (the Panoply markers). Defaults to `['__state', '__table']`. */
  omitFields?: readonly string[];
  /**
   * Deepest nesting of objects and arrays that is described; deeper values are typed "any JSON" (`{}`).
   * Defaults to 16.
   */
  maxDepth?: number;
}

type JsonKind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'date-time' | 'object' | 'array';

/** What was seen at one position (a field, or an array's elements) across the sample. */
interface Sketch {
  kinds: Set<JsonKind>;
  properties: Map<string, Sketch> | undefined;
  items: Sketch | undefined;
}

const newSketch = (): Sketch => ({ kinds: new Set(), properties: undefined, items: undefined });

/**
 * Infers a JSON Schema for records of one stream from a sample of them. The rules:
 *
 * - Every field is nullable (its `type` lists `"null"`) and none is `required`: a sample cannot prove
 *   that a field is always present. `additionalProperties` stays open.
 * - JS numbers that are all integers, and bigints, give `integer` (bigints are written as exact JSON
 *   integers); any fraction (or a JS number beyond 2^53, already rounded) widens the column to `number`.
 * - `Date` objects give `string` with `format: date-time` (they are written as ISO 8601 in UTC).
 * - `NaN` and the infinities give `number` and `string`: they are written as the strings "NaN",
 *   "Infinity" and "-Infinity", since JSON has no such numbers.
 * - Plain objects give `object` with their properties merged over the sample; arrays give `array` with
 *   `items` merged over every element (an array seen only empty gets `items: {}`).
 * - A field whose values mix kinds lists every kind (`["null", "string", "integer"]`); a field seen only
 *   as `null` gets no `type` at all (any JSON), since nothing says what it will hold.
 * - Field order is first-seen order.
 *
 * @throws BridgeError `BRIDGE_SCHEMA` for a value that is not JSON data (a function, a symbol, a class
 * instance other than Date), naming the field path and record index.
 */
export function inferJsonSchema(
  records: Iterable<Readonly<Record<string, unknown>>>,
  options: InferJsonSchemaOptions = {},
): JsonSchemaObject {
  const omit = new Set(options.omitFields ?? ['__state', '__table']);
  const maxDepth = options.maxDepth ?? 16;
  const root = newSketch();
  root.properties = new Map();
  let index = 0;
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      if (omit.has(name) || value === undefined) continue;
      observe(propertyOf(root, name), value, name, index, 1, maxDepth);
    }
    index += 1;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: true,
    properties: describeProperties(root),
  };
}

function propertyOf(sketch: Sketch, name: string): Sketch {
  sketch.properties ??= new Map();
  let child = sketch.properties.get(name);
  if (child === undefined) {
    child = newSketch();
    sketch.properties.set(name, child);
  }
  return child;
}

function observe(
  sketch: Sketch,
  value: unknown,
  path: string,
  index: number,
  depth: number,
  maxDepth: number,
) {
  const kind = kindOf(value, path, index);
  sketch.kinds.add(kind);
  // Written as the strings "NaN", "Infinity", "-Infinity": the column holds strings too.
  if (typeof value === 'number' && !Number.isFinite(value)) sketch.kinds.add('string');
  if (depth >= maxDepth) return;
  if (kind === 'object') {
    sketch.properties ??= new Map();
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      if (child === undefined) continue;
      observe(propertyOf(sketch, name), child, `${path}.${name}`, index, depth + 1, maxDepth);
    }
  } else if (kind === 'array') {
    sketch.items ??= newSketch();
    for (const element of value as unknown[]) {
      observe(sketch.items, element ?? null, `${path}[]`, index, depth + 1, maxDepth);
    }
  }
}

function kindOf(value: unknown, path: string, index: number): JsonKind {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'bigint':
      return 'integer';
    case 'number':
      return Number.isSafeInteger(value) ? 'integer' : 'number';
    case 'object': {
      if (Array.isArray(value)) return 'array';
      if (value instanceof Date && !Number.isNaN(value.getTime())) return 'date-time';
      const prototype = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) return 'object';
      break;
    }
    default:
      break;
  }
  throw new BridgeError(
    'BRIDGE_SCHEMA',
    `record ${index}, field "${path}": ${describe(value)} is not JSON data, so no schema can describe it`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null)
    return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}

function describeProperties(sketch: Sketch): Record<string, JsonSchemaObject> {
  const properties: Record<string, JsonSchemaObject> = {};
  for (const [name, child] of sketch.properties ?? []) {
    Object.defineProperty(properties, name, {
      value: describeSketch(child),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return properties;
}

function describeSketch(sketch: Sketch): JsonSchemaObject {
  const kinds = new Set(sketch.kinds);
  if (kinds.has('number')) kinds.delete('integer');
  const nonNull = [...kinds].filter((kind) => kind !== 'null');
  if (nonNull.length === 0) return {};
  const types = new Set<string>(['null']);
  for (const kind of nonNull) types.add(kind === 'date-time' ? 'string' : kind);
  const schema: JsonSchemaObject = { type: [...types] };
  if (nonNull.length === 1 && nonNull[0] === 'date-time') {
    schema.format = 'date-time';
    schema.airbyte_type = 'timestamp_with_timezone';
  }
  if (kinds.has('object')) {
    schema.properties = describeProperties(sketch);
    schema.additionalProperties = true;
  }
  if (kinds.has('array')) schema.items = sketch.items === undefined ? {} : describeSketch(sketch.items);
  return schema;
}
