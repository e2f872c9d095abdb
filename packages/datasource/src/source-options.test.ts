import type { DataSourceConfig } from './data-source-config';
import { IncorrectParamError } from './errors/incorrect-param-error';
import {
  isSecretOption,
  mergeSourceOptions,
  parseOptionAssignments,
  redactSourceOptions,
  validateSourceOptions,
} from './source-options';

const OPEN: DataSourceConfig = { title: 'Open', params: [] };

function issuesOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    expect(IncorrectParamError.isInstance(error)).toBe(true);
    return (error as IncorrectParamError).issues.map((issue) => `${issue.param}: ${issue.problem}`);
  }
  throw new Error('expected an IncorrectParamError');
}

describe('parseOptionAssignments', () => {
  it('nests dotted keys, keeps values as strings, later assignments win', () => {
    expect(
      parseOptionAssignments([
        'refresh.client_id=a',
        'refresh.client_secret=b=c',
        'days=7',
        'days=8',
        'empty=',
      ]),
    ).toEqual({ refresh: { client_id: 'a', client_secret: 'b=c' }, days: '8', empty: '' });
  });

  it('lists every malformed assignment', () => {
    const issues = issuesOf(() => parseOptionAssignments(['novalue', '=x', 'a..b=1', 'k=1', 'k.sub=2']));
    expect(issues).toHaveLength(4);
    expect(issues[3]).toContain('option k.sub');
  });
});

describe('validateSourceOptions', () => {
  it('passes undeclared options through, checking only logger and refresh', () => {
    expect(validateSourceOptions(OPEN, { past_days: 3, refresh: { client_id: 'x' } })).toEqual({
      past_days: 3,
      refresh: { client_id: 'x' },
    });
    expect(issuesOf(() => validateSourceOptions(OPEN, { logger: 'x', refresh: { client_id: 1 } }))).toEqual([
      'option logger: is set by the runner',
      'option refresh.client_id: must be a string (it is posted as a form field)',
    ]);
    expect(issuesOf(() => validateSourceOptions(OPEN, { refresh: 'token' }))).toHaveLength(1);
  });

  it('checks declared options: defaults, coercion, required, choices, unknown keys', () => {
    const config: DataSourceConfig = {
      title: 'Declared',
      params: [],
      options: [
        { name: 'incremental.key', required: true },
        { name: 'days', type: 'number', default: 30 },
        { name: 'mode', values: [{ name: 'Full', value: 'full' }] },
      ],
    };
    expect(validateSourceOptions(config, { incremental: { key: 'updated_at' }, days: '2' })).toEqual({
      incremental: { key: 'updated_at' },
      days: 2,
    });
    expect(issuesOf(() => validateSourceOptions(config, { days: 'x', mode: 'half', extra: 1 }))).toEqual([
      'option incremental.key: is required (incremental.key)',
      'option days: must be a finite number, got "x"',
      'option mode: must be one of "full", got "half"',
      'option extra: is not an option of this data source (see CONFIG.options)',
    ]);
  });
});

describe('secrets in options', () => {
  it('recognises credential names and declared secrets', () => {
    const config: DataSourceConfig = { title: 'S', params: [], options: [{ name: 'dsn', type: 'password' }] };
    for (const path of [
      'refresh.client_secret',
      'refresh_token',
      'auth.apiKey',
      'db.password',
      'dsn',
      'dsn.x',
    ]) {
      expect(isSecretOption(config, path)).toBe(true);
    }
    for (const path of ['refresh.client_id', 'days', 'incremental.key'])
      expect(isSecretOption(config, path)).toBe(false);
  });

  it('masks them in a copy, leaving the original alone', () => {
    const options = {
      refresh: { client_id: 'id', client_secret: 's' },
      access_token: 't',
      days: 3,
      fn: () => 1,
    };
    expect(redactSourceOptions(OPEN, options)).toEqual({
      refresh: { client_id: 'id', client_secret: '***' },
      access_token: '***',
      days: 3,
      fn: '[function]',
    });
    expect(options.refresh.client_secret).toBe('s');
  });

  it('merges layers deeply, later ones winning', () => {
    expect(mergeSourceOptions({ a: { b: 1, c: 2 }, d: 1 }, { a: { b: 3 } })).toEqual({
      a: { b: 3, c: 2 },
      d: 1,
    });
  });
});
