import { FlowKeyError } from '../errors/flow-key-error';
import type { DiscoveredBinding } from './capture-response';
import type { JsonObject, JsonValue } from './flow-specs';

// Flow refuses to publish a collection whose key locations are not provably present in every valid
// document, or whose keyed locations may hold a float, object or array. These functions make the
// first true where the schema allows it (by adding `required`) and refuse the rest at `discover`.

/**
 * What a shim does with a stream whose key Flow cannot use: `'fail'` refuses `discover` with
 * `FLOW_INVALID_KEY`; `'row-id'` keys the stream by the shim's row counter `/_meta/row_id` instead.
 */
export type InvalidKeyPolicy = 'fail' | 'row-id';

const keyableTypes = new Set(['string', 'integer', 'boolean', 'null']);
// Local `$ref` chains longer than this are treated as undeclared (they are cycles in practice).
const maxRefDepth = 32;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describeTypes(types: ReadonlySet<string> | undefined): string {
  if (types === undefined) return 'unspecified';
  if (types.size === 0) return 'never';
  return [...types].sort().join(' or ');
}

/** The parts of an RFC 6901 pointer, unescaped; undefined when `pointer` is not one. */
function pointerSteps(pointer: string): string[] | undefined {
  if (!pointer.startsWith('/') || pointer === '/') return undefined;
  const raw = pointer.slice(1).split('/');
  if (raw.some((part) => part === '' || /~[^01]|~$/.test(part))) return undefined;
  return raw.map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Resolves a local `$ref` (`#/definitions/x`, `#/$defs/x`, any `#/...` pointer) against the root. */
function resolveRef(node: JsonValue, root: JsonObject): JsonValue | undefined {
  let current: JsonValue = node;
  for (let depth = 0; depth < maxRefDepth; depth += 1) {
    if (!isObject(current) || typeof current.$ref !== 'string') return current;
    const ref = current.$ref;
    if (ref !== '#' && !ref.startsWith('#/')) return undefined;
    let target: JsonValue | undefined = root;
    for (const part of ref === '#' ? [] : (pointerSteps(ref.slice(1)) ?? [])) {
      target = isObject(target) ? target[part] : Array.isArray(target) ? target[Number(part)] : undefined;
      if (target === undefined) return undefined;
    }
    // Keywords beside `$ref` still apply (2019-09 and later); the referenced ones fill the rest.
    const { $ref: _ref, ...siblings } = current;
    current = isObject(target) ? { ...target, ...siblings } : target;
  }
  return undefined;
}

/** The JSON types a schema admits; undefined when it does not say (any value validates). */
function typesOf(schema: JsonValue | undefined, root: JsonObject, depth = 0): Set<string> | undefined {
  if (depth > maxRefDepth) return undefined;
  const node = schema === undefined ? undefined : resolveRef(schema, root);
  if (node === false) return new Set();
  if (!isObject(node)) return undefined;
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type.filter((type) => typeof type === 'string'));
  if ('const' in node) return new Set([jsonTypeOf(node.const as JsonValue)]);
  if (Array.isArray(node.enum)) return new Set(node.enum.map(jsonTypeOf));
  const branches = Array.isArray(node.anyOf)
    ? node.anyOf
    : Array.isArray(node.oneOf)
      ? node.oneOf
      : undefined;
  if (branches) {
    const union = new Set<string>();
    for (const branch of branches) {
      const types = typesOf(branch, root, depth + 1);
      if (types === undefined) return undefined;
      for (const type of types) union.add(type);
    }
    return union;
  }
  if (Array.isArray(node.allOf)) {
    let intersection: Set<string> | undefined;
    for (const branch of node.allOf) {
      const types = typesOf(branch, root, depth + 1);
      if (types === undefined) continue;
      intersection =
        intersection === undefined ? types : new Set([...intersection].filter((type) => types.has(type)));
    }
    return intersection;
  }
  return undefined;
}

function isKeyable(types: ReadonlySet<string> | undefined): boolean {
  if (types === undefined || types.size === 0) return false;
  return [...types].every((type) => keyableTypes.has(type)) && [...types].some((type) => type !== 'null');
}

const keyTypeAdvice =
  'Flow keys must be string, integer or boolean (possibly nullable), never number, object or array; ' +
  'declare the key with such a type, or key the stream differently';

/**
 * Walks every key pointer of one binding. With `fix`, `schema` is a private copy that is changed in
 * place: missing `required` entries are added, a `$ref` on the way is inlined (a `required` beside a
 * shared definition would change every use of it) and Airbyte integers (`number` with
 * `airbyte_type: integer`) at key locations become `integer`. Without `fix`, anything Flow would
 * refuse throws.
 */
function walkKey(schema: JsonObject, key: readonly string[], stream: string, fix: boolean): void {
  if (key.length === 0) {
    throw new FlowKeyError(
      stream,
      '',
      'unspecified',
      'pointer',
      'a collection needs at least one key pointer',
    );
  }
  for (const pointer of key) {
    const steps = pointerSteps(pointer);
    if (steps === undefined) {
      throw new FlowKeyError(
        stream,
        pointer,
        'unspecified',
        'pointer',
        "not a JSON pointer to a property (it must look like '/id' or '/a/b', escaping '~' and '/' as '~0' and '~1')",
      );
    }
    let node: JsonObject = schema;
    let at = '';
    for (const [index, step] of steps.entries()) {
      // With `fix`, references on the way were inlined above; a check reads through them.
      if (!fix) {
        const resolved = resolveRef(node, schema);
        node = isObject(resolved) ? resolved : {};
      }
      const where = at === '' ? 'the document' : `'${at}'`;
      const types = typesOf(node, schema);
      if (types !== undefined && (types.size !== 1 || !types.has('object'))) {
        throw new FlowKeyError(
          stream,
          pointer,
          describeTypes(types),
          'parent',
          `${where} may be ${describeTypes(types)}, not always an object, so '${pointer}' cannot provably exist; make ${where} a non-nullable object`,
        );
      }
      const properties = isObject(node.properties) ? node.properties : undefined;
      let child = properties?.[step];
      if (properties === undefined || child === undefined) {
        throw new FlowKeyError(
          stream,
          pointer,
          'unspecified',
          'undeclared',
          `${where} declares no property '${step}', so the key's type is unknown; declare it in the schema's properties with a key type`,
        );
      }
      const required = Array.isArray(node.required) ? node.required : [];
      if (!required.includes(step)) {
        if (!fix) {
          throw new FlowKeyError(
            stream,
            pointer,
            describeTypes(typesOf(child, schema)),
            'not-required',
            `'${step}' is not required in ${where}, so documents without the key would validate; list it in 'required'`,
          );
        }
        node.required = [...required, step];
      }
      at = `${at}/${step.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (fix && isObject(child) && typeof child.$ref === 'string') {
        const inlined = resolveRef(child, schema);
        if (isObject(inlined)) {
          child = structuredClone(inlined);
          properties[step] = child;
        }
      }
      if (index === steps.length - 1) {
        // Airbyte writes integers as `{"type": "number", "airbyte_type": "integer"}`, which Flow
        // would read as a float: at a key location, say `integer`.
        if (fix && isObject(child) && child.airbyte_type === 'integer') {
          if (child.type === 'number') child.type = 'integer';
          else if (Array.isArray(child.type))
            child.type = child.type.map((type) => (type === 'number' ? 'integer' : type));
        }
        const keyTypes = typesOf(child, schema);
        if (!isKeyable(keyTypes)) {
          throw new FlowKeyError(stream, pointer, describeTypes(keyTypes), 'type', keyTypeAdvice);
        }
      } else if (isObject(child)) {
        node = child;
      } else {
        throw new FlowKeyError(
          stream,
          pointer,
          'unspecified',
          'parent',
          `'${at}' has no object schema, so '${pointer}' cannot provably exist; declare '${at}' as an object`,
        );
      }
    }
  }
}

/**
 * Returns a copy of `documentSchema` in which every step of every key pointer is `required` (nested
 * objects too), so Flow can prove each key exists in every valid document. Throws
 * {@link FlowKeyError} (`FLOW_INVALID_KEY`, naming the stream, pointer and type) when a key cannot be
 * made valid: a keyed location that may be a number, object or array, or whose type is not declared;
 * a step that may be null or not an object; a pointer that is not one; an empty key. Airbyte integers
 * (`number` with `airbyte_type: integer`) at key locations become `integer`. Idempotent; never
 * changes `documentSchema` itself. `stream` names the binding in errors.
 */
export function requireCollectionKey(
  documentSchema: JsonValue,
  key: readonly string[],
  stream: string,
): JsonObject {
  const schema: JsonObject = isObject(documentSchema) ? structuredClone(documentSchema) : {};
  walkKey(schema, key, stream, true);
  return schema;
}

/**
 * The binding with its `documentSchema` passed through {@link requireCollectionKey}. Shims and the
 * connector runner apply it to every discovered binding; use it in your own `discover` (or an adapter)
 * to fail at the same place.
 */
export function withRequiredCollectionKey(binding: DiscoveredBinding): DiscoveredBinding {
  return {
    ...binding,
    documentSchema: requireCollectionKey(binding.documentSchema, binding.key, binding.recommendedName),
  };
}

/**
 * Checks a discovered binding as Flow does at publish time, without changing anything: throws
 * {@link FlowKeyError} when a step of a key pointer is not `required` (`problem: 'not-required'`) or
 * any rule of {@link requireCollectionKey} is broken. The fake runtime runs it on every discovered binding.
 */
export function assertCollectionKey(binding: DiscoveredBinding): void {
  const schema = isObject(binding.documentSchema) ? binding.documentSchema : {};
  walkKey(schema, binding.key, binding.recommendedName, false);
}
