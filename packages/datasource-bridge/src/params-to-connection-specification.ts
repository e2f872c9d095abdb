import { type DataSourceConfig, isSecretParam, type ParamDefinition } from '@sdk/datasource';
import type { JsonSchemaObject } from './infer-json-schema';

/**
 * The Airbyte `connectionSpecification` of a DataSource module's `CONFIG.params`: one property per
 * parameter, in order. `number` -> `number`, `boolean` -> `boolean`, `list` -> `enum` of its values,
 * `json` -> any JSON value, every other type -> `string`. Secret parameters (`secret: true`, `password`,
 * `oauth`) are marked `airbyte_secret`, so every Airbyte message masks them. A parameter is `required`
 * when it is required and has no `default`; `title`, `description` (or `help`), `default` and
 * `placeholder` (as `examples`) carry over. Unknown keys stay allowed (`additionalProperties: true`), as
 * Panoply sources accept them.
 */
export function paramsToConnectionSpecification(config: DataSourceConfig): JsonSchemaObject {
  const properties: Record<string, JsonSchemaObject> = {};
  const required: string[] = [];
  config.params.forEach((param, order) => {
    properties[param.name] = paramSchema(param, order);
    if (param.required === true && param.default === undefined) required.push(param.name);
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: config.title,
    type: 'object',
    required,
    additionalProperties: true,
    properties,
  };
}

function paramSchema(param: ParamDefinition, order: number): JsonSchemaObject {
  const schema: JsonSchemaObject = { ...typeOf(param), order };
  if (param.title !== undefined) schema.title = param.title;
  const description = param.description ?? param.help;
  if (description !== undefined) schema.description = description;
  if (param.default !== undefined) schema.default = param.default;
  if (param.placeholder !== undefined) schema.examples = [param.placeholder];
  if (isSecretParam(param)) schema.airbyte_secret = true;
  return schema;
}

function typeOf(param: ParamDefinition): JsonSchemaObject {
  switch (param.type) {
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'json':
      return {};
    case 'list':
      return param.values === undefined || param.values.length === 0
        ? { type: 'string' }
        : { enum: param.values.map((choice) => choice.value) };
    default:
      return { type: 'string' };
  }
}
