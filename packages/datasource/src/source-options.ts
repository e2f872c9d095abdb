import type { DataSourceOptions } from './data-source';
import type { DataSourceConfig, ParamDefinition } from './data-source-config';
import { IncorrectParamError, type ParamIssue } from './errors/incorrect-param-error';
import { coerceParamValue, isSecretParam } from './validate-params';

// Option names that hold credentials whatever a CONFIG declares (Panoply's `refresh` client fields,
// tokens, keys); matched against every segment of a dotted path.
const SECRET_SEGMENT = /secret|passw|token|api[-_]?key|private[-_]?key|credential/i;
const SEGMENT = /^[A-Za-z0-9_$-]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issue(path: string, problem: string): ParamIssue {
  return { param: `option ${path}`, problem };
}

function throwIfAny(issues: ParamIssue[], title: string): void {
  if (issues.length === 0) return;
  const summary = issues.map((entry) => `${entry.param} ${entry.problem}`).join('; ');
  throw new IncorrectParamError(`invalid options for ${title}: ${summary}`, issues);
}

/**
 * Whether the option at `path` (dotted) must never be logged: declared secret in `CONFIG.options`
 * (`secret`, `password`, `oauth`), under such a declared option, or any segment of the path names a
 * credential (`secret`, `password`, `token`, `api_key`, `private_key`, `credential`).
 */
export function isSecretOption(config: DataSourceConfig | undefined, path: string): boolean {
  if (path.split('.').some((segment) => SECRET_SEGMENT.test(segment))) return true;
  return (config?.options ?? []).some(
    (option) => isSecretParam(option) && (path === option.name || path.startsWith(`${option.name}.`)),
  );
}

function getPath(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): boolean {
  const segments = path.split('.');
  let current = object;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (next === undefined) current[segment] = {};
    else if (!isPlainObject(next)) return false;
    current = current[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1] as string;
  if (isPlainObject(current[last]) && !isPlainObject(value)) return false;
  current[last] = value;
  return true;
}

function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)]));
}

function leafPaths(object: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(object).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isPlainObject(value) && Object.keys(value).length > 0 ? leafPaths(value, path) : [path];
  });
}

/**
 * Turns `key=value` command-line assignments into an options object: a dotted key nests
 * (`refresh.client_id=abc` gives `{ refresh: { client_id: 'abc' } }`), values stay strings (declared
 * options are coerced by {@link validateSourceOptions}), later assignments win. Throws one
 * `IncorrectParamError` listing every malformed assignment (never echoing a secret value).
 */
export function parseOptionAssignments(assignments: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const issues: ParamIssue[] = [];
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const key = equals === -1 ? assignment : assignment.slice(0, equals);
    if (equals <= 0 || !key.split('.').every((segment) => SEGMENT.test(segment))) {
      issues.push(
        issue(
          JSON.stringify(key),
          'must be key=value, the key made of letters, digits, "_", "-" or "$", dots separating levels',
        ),
      );
      continue;
    }
    if (!setPath(options, key, assignment.slice(equals + 1))) {
      issues.push(issue(key, 'conflicts with another option (a value and nested keys under one name)'));
    }
  }
  throwIfAny(issues, 'the command line');
  return options;
}

/**
 * Deep-merges option objects, later ones winning key by key (the runner CLI: options file, then
 * `--option` flags).
 */
export function mergeSourceOptions(
  ...layers: readonly Readonly<Record<string, unknown>>[]
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const mergeInto = (target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): void => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value);
      else target[key] = deepCopy(value);
    }
  };
  for (const layer of layers) mergeInto(merged, layer);
  return merged;
}

function checkRefresh(options: Record<string, unknown>, issues: ParamIssue[]): void {
  const refresh = options.refresh;
  if (refresh === undefined) return;
  if (!isPlainObject(refresh)) {
    issues.push(issue('refresh', 'must be an object of OAuth client fields (refresh.client_id=...)'));
    return;
  }
  for (const [key, value] of Object.entries(refresh)) {
    if (typeof value !== 'string')
      issues.push(issue(`refresh.${key}`, 'must be a string (it is posted as a form field)'));
  }
}

/**
 * Checks the options given to a data source (`DataSource.options`, Panoply's option hints such as
 * the `refresh` client fields of `validateToken`, incremental keys or excluded fields) and returns a
 * new object. Always: a plain object, no `logger` (the runner sets it), `refresh` an object of
 * strings. When `CONFIG.options` declares them: defaults filled, values coerced and checked as params
 * are (`type`, `required`, `values`), and undeclared keys refused. Throws one `IncorrectParamError`
 * listing every issue (each named `option <path>`), never containing a secret value.
 */
export function validateSourceOptions(
  config: DataSourceConfig,
  options: Readonly<Record<string, unknown>> | undefined,
): DataSourceOptions {
  const issues: ParamIssue[] = [];
  if (options !== undefined && !isPlainObject(options)) {
    throw new IncorrectParamError(`invalid options for ${config.title}: options must be an object`, [
      { param: 'options', problem: 'must be an object' },
    ]);
  }
  const output = (deepCopy(options ?? {}) as Record<string, unknown>) ?? {};
  if ('logger' in output) issues.push(issue('logger', 'is set by the runner'));
  checkRefresh(output, issues);
  const declared = config.options;
  if (declared !== undefined) {
    for (const option of declared) {
      const path = option.name;
      const value = getPath(output, path);
      if (value === undefined || value === null || value === '') {
        if (option.default !== undefined) setPath(output, path, deepCopy(option.default));
        else if (option.required === true) issues.push(issue(path, `is required (${option.title ?? path})`));
        continue;
      }
      const found: ParamIssue[] = [];
      const coerced = coerceParamValue(option as ParamDefinition, value, found);
      for (const entry of found) issues.push(issue(path, entry.problem));
      setPath(output, path, coerced);
    }
    for (const path of leafPaths(output)) {
      const known = declared.some(
        (option) =>
          path === option.name || path.startsWith(`${option.name}.`) || option.name.startsWith(`${path}.`),
      );
      if (!known && path !== 'refresh' && !path.startsWith('refresh.')) {
        issues.push(issue(path, 'is not an option of this data source (see CONFIG.options)'));
      }
    }
  }
  throwIfAny(issues, config.title);
  return output as DataSourceOptions;
}

/**
 * A copy of `options` for logs: every secret option (see {@link isSecretOption}) reads `'***'`,
 * functions read `'[function]'`.
 */
export function redactSourceOptions(
  config: DataSourceConfig | undefined,
  options: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const redact = (value: unknown, path: string): unknown => {
    if (path !== '' && isSecretOption(config, path) && value !== undefined && value !== null) return '***';
    if (typeof value === 'function') return '[function]';
    if (Array.isArray(value)) return value.map((item) => redact(item, path));
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redact(item, path === '' ? key : `${path}.${key}`)]),
    );
  };
  return redact(options, '') as Record<string, unknown>;
}
