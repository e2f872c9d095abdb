import type { ParamDefinition } from '@sdk/datasource';
import type { JsonSchemaObject } from './infer-json-schema';

/**
 * Panoply-style `CONFIG.params` for an Airbyte `connectionSpecification`: one parameter per top-level
 * property, in `order` (then declaration) order. `string` -> `string` (`password` when the property is
 * `airbyte_secret`), `integer`/`number` -> `number`, `boolean` -> `boolean`, an `enum` -> `list`, and
 * anything else (objects, arrays, unions) -> `json`: given as a JSON value (`--params-json`), or as JSON
 * text, which the bridge parses. Required properties are required parameters; `title`, `description`,
 * `default` and the first of `examples` (as `placeholder`) carry over.
 */
export function connectionSpecificationToParams(connectionSpecification: unknown): ParamDefinition[] {
  const spec = (connectionSpecification ?? {}) as JsonSchemaObject;
  const properties = isObject(spec.properties) ? spec.properties : {};
  const required = new Set(Array.isArray(spec.required) ? (spec.required as string[]) : []);
  const entries = Object.entries(properties).map(([name, schema], index) => ({
    name,
    schema: isObject(schema) ? schema : {},
    order:
      typeof (schema as JsonSchemaObject | null)?.order === 'number'
        ? ((schema as JsonSchemaObject).order as number)
        : Number.MAX_SAFE_INTEGER,
    index,
  }));
  entries.sort((a, b) => a.order - b.order || a.index - b.index);
  return entries.map(({ name, schema }) => {
    const param: Record<string, unknown> = { name, type: paramType(schema), required: required.has(name) };
    if (typeof schema.title === 'string') param.title = schema.title;
    if (typeof schema.description === 'string') param.description = schema.description;
    if (schema.default !== undefined) param.default = schema.default;
    if (Array.isArray(schema.examples) && typeof schema.examples[0] === 'string')
      param.placeholder = schema.examples[0];
    if (Array.isArray(schema.enum)) {
      param.values = schema.enum
        .filter((value) => ['string', 'number', 'boolean'].includes(typeof value))
        .map((value) => ({ name: String(value), value }));
    }
    if (schema.airbyte_secret === true) param.secret = true;
    return param as unknown as ParamDefinition;
  });
}

function paramType(schema: JsonSchemaObject): string {
  if (Array.isArray(schema.enum)) return 'list';
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type) => type !== 'null');
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'string':
      return schema.airbyte_secret === true ? 'password' : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

function isObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
