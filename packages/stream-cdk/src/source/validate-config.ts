import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { type ConfigProblem, ConfigValidationError } from '../errors/config-validation-error';
import type { ConnectorSpecification } from '../protocol/airbyte-protocol';

let sharedAjv: Ajv | undefined;

function ajv(): Ajv {
  // Specs carry Airbyte keywords (airbyte_secret, order, group, ...): strict mode would reject them.
  sharedAjv ??= addFormats(new Ajv({ allErrors: true, strict: false }));
  return sharedAjv;
}

/**
 * Validates `config` against `spec.connectionSpecification` and throws a {@link ConfigValidationError}
 * (`CDK_CONFIG_INVALID`, a config error) listing every problem. Problems name paths and rules, never
 * values, so secrets cannot leak through them.
 */
export function validateConfig(spec: ConnectorSpecification, config: unknown): void {
  const validate = ajv().compile(spec.connectionSpecification);
  if (validate(config)) return;
  throw new ConfigValidationError((validate.errors ?? []).map(toProblem));
}

function toProblem(error: ErrorObject): ConfigProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return { path: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'is not allowed' };
  }
  if (error.keyword === 'enum') {
    return { path: error.instancePath, message: `must be one of ${JSON.stringify(params.allowedValues)}` };
  }
  return { path: error.instancePath, message: error.message ?? error.keyword };
}
