import type { DataSourceConfig } from './data-source-config';
import { ConfigError } from './errors/config-error';
import { IncorrectParamError } from './errors/incorrect-param-error';
import { redactParams, validateParams } from './validate-params';

const CONFIG: DataSourceConfig = {
  title: 'Shop',
  params: [
    { name: 'host', title: 'Host', required: true },
    { name: 'port', type: 'number', default: 5432 },
    { name: 'password', type: 'password', required: true },
    { name: 'token', secret: true },
    { name: 'verbose', type: 'boolean', default: false },
    {
      name: 'mode',
      values: [
        { name: 'Full', value: 'full' },
        { name: 'Incremental', value: 'inc' },
      ],
    },
  ],
};

function issuesOf(run: () => unknown): IncorrectParamError {
  try {
    run();
  } catch (error) {
    if (IncorrectParamError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected IncorrectParamError');
}

describe('validateParams', () => {
  it('fills defaults, coerces command-line strings and keeps undeclared keys', () => {
    const params = validateParams(CONFIG, {
      host: 'db',
      password: 'pw',
      port: '6543',
      verbose: 'true',
      extra: 1,
    });
    expect(params).toEqual({ host: 'db', password: 'pw', port: 6543, verbose: true, extra: 1 });
    expect(validateParams(CONFIG, { host: 'db', password: 'pw' }).port).toBe(5432);
  });

  it('reports every problem at once, with the parameter names', () => {
    const error = issuesOf(() =>
      validateParams(CONFIG, { port: 'abc', verbose: 'maybe', mode: 'sometimes' }),
    );
    expect(error.code).toBe('DATASOURCE_INCORRECT_PARAM');
    expect(error.issues.map((issue) => issue.param)).toEqual(['host', 'port', 'password', 'verbose', 'mode']);
    expect(error.message).toContain('host is required');
    expect(error.message).toContain('port must be a finite number');
  });

  it('never echoes a secret value in its messages', () => {
    const error = issuesOf(() => validateParams(CONFIG, { host: 'db', password: 12345678, token: 'tok' }));
    expect(error.issues.map((issue) => issue.param)).toEqual(['password']);
    expect(error.message).not.toContain('12345678');
  });

  it('rejects unknown keys when asked', () => {
    const error = issuesOf(() =>
      validateParams(CONFIG, { host: 'h', password: 'p', typo: 1 }, { rejectUnknown: true }),
    );
    expect(error.issues).toEqual([{ param: 'typo', problem: 'is not a parameter of this data source' }]);
  });

  it('rejects a malformed CONFIG with ConfigError', () => {
    expect(() => validateParams({ title: 'x', params: [{ name: '' }] }, {})).toThrow(ConfigError);
    expect(() => validateParams({ title: 'x', params: [{ name: 'a' }, { name: 'a' }] }, {})).toThrow(
      ConfigError,
    );
  });
});

describe('redactParams', () => {
  it('masks password, oauth and secret parameters', () => {
    expect(redactParams(CONFIG, { host: 'h', password: 'pw', token: 't', port: 1 })).toEqual({
      host: 'h',
      password: '***',
      token: '***',
      port: 1,
    });
  });
});
