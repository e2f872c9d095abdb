import type { SourceParams } from './data-source';
import type { DataSourceConfig, ParamDefinition } from './data-source-config';
import { ConfigError } from './errors/config-error';
import { IncorrectParamError, type ParamIssue } from './errors/incorrect-param-error';

/** Whether a parameter's value must never be logged. */
export function isSecretParam(param: ParamDefinition): boolean {
  return param.secret === true || param.type === 'password' || param.type === 'oauth';
}

/** Options of {@link validateParams}. */
export interface ValidateParamsOptions {
  /** Reject keys not declared in `CONFIG.params`. Defaults to `false` (Panoply passes extras through). */
  rejectUnknown?: boolean;
}

function checkConfig(config: DataSourceConfig): void {
  if (typeof config !== 'object' || config === null || !Array.isArray(config.params)) {
    throw new ConfigError('CONFIG must be an object with a params array');
  }
  const seen = new Set<string>();
  for (const param of config.params) {
    if (typeof param?.name !== 'string' || param.name === '') {
      throw new ConfigError('every CONFIG.params entry needs a non-empty string name');
    }
    if (seen.has(param.name)) throw new ConfigError(`CONFIG.params declares "${param.name}" twice`);
    seen.add(param.name);
  }
}

/**
 * Coerces one value as `validateParams` does (numbers and booleans from strings, `values` choices),
 * adding to `issues` what is wrong. Shared with source options; not part of the package's API.
 */
export function coerceParamValue(param: ParamDefinition, value: unknown, issues: ParamIssue[]): unknown {
  return coerceValue(param, value, issues);
}

function coerceValue(param: ParamDefinition, value: unknown, issues: ParamIssue[]): unknown {
  const shown = isSecretParam(param) ? 'the given value' : JSON.stringify(value);
  const type = param.type ?? 'string';
  if (type === 'number') {
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      issues.push({ param: param.name, problem: `must be a finite number, got ${shown}` });
      return value;
    }
    return number;
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    issues.push({ param: param.name, problem: `must be true or false, got ${shown}` });
    return value;
  }
  if (param.values !== undefined && param.values.length > 0) {
    const match = param.values.find((choice) => choice.value === value || String(choice.value) === value);
    if (match === undefined) {
      const allowed = param.values.map((choice) => JSON.stringify(choice.value)).join(', ');
      issues.push({ param: param.name, problem: `must be one of ${allowed}, got ${shown}` });
      return value;
    }
    return match.value;
  }
  if (typeof value !== 'string' && (type === 'string' || type === 'password' || type === 'destination')) {
    issues.push({ param: param.name, problem: `must be a string, got ${typeof value}` });
  }
  return value;
}

/**
 * Checks `input` against `CONFIG.params`: fills defaults, coerces `number`/`boolean` strings (as the
 * command line gives them), enforces `required` and `values`. Returns a new object; keys not declared
 * are kept as they are. Throws one {@link IncorrectParamError} listing every issue, whose messages
 * never contain the value of a secret parameter.
 */
export function validateParams(
  config: DataSourceConfig,
  input: Readonly<Record<string, unknown>>,
  options: ValidateParamsOptions = {},
): SourceParams {
  checkConfig(config);
  const issues: ParamIssue[] = [];
  const output: SourceParams = { ...input };
  for (const param of config.params) {
    let value = input[param.name];
    if (value === undefined || value === null || value === '') {
      if (param.default !== undefined) {
        output[param.name] = param.default;
      } else if (param.required === true) {
        issues.push({ param: param.name, problem: `is required (${param.title ?? param.name})` });
      }
      continue;
    }
    value = coerceValue(param, value, issues);
    output[param.name] = value;
  }
  if (options.rejectUnknown === true) {
    const known = new Set(config.params.map((param) => param.name));
    for (const key of Object.keys(input)) {
      if (!known.has(key)) issues.push({ param: key, problem: 'is not a parameter of this data source' });
    }
  }
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.param} ${issue.problem}`).join('; ');
    throw new IncorrectParamError(`invalid parameters for ${config.title}: ${summary}`, issues);
  }
  return output;
}

/** A copy of `params` where the value of every secret parameter is replaced by `'***'`. */
export function redactParams(
  config: DataSourceConfig,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const secrets = new Set(config.params.filter(isSecretParam).map((param) => param.name));
  const output: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    output[key] = secrets.has(key) && value !== undefined && value !== null ? '***' : value;
  }
  return output;
}
