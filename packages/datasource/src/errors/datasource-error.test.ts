import { ConfigError } from './config-error';
import { DatasourceError, isRetryableError } from './datasource-error';
import { IncorrectParamError } from './incorrect-param-error';
import { SourceError } from './source-error';
import { TokenValidationError } from './token-validation-error';

describe('DatasourceError', () => {
  it('prefixes the message with the code, keeps the cause and defaults retryable to true', () => {
    const cause = new Error('root');
    const error = new DatasourceError('DATASOURCE_SOURCE', 'boom', { cause });
    expect(error.message).toBe('[DATASOURCE_SOURCE] boom');
    expect(error.code).toBe('DATASOURCE_SOURCE');
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
    expect(error.name).toBe('DatasourceError');
  });

  it('recognises instances from another copy of the package by marker, narrowed to the subclass', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@sdk/datasource/SourceError')]: true });
    expect(SourceError.isInstance(foreign)).toBe(true);
    expect(DatasourceError.isInstance(foreign)).toBe(false);
    expect(DatasourceError.isInstance(new SourceError('x'))).toBe(true);
    expect(SourceError.isInstance(new ConfigError('x'))).toBe(false);
    expect(DatasourceError.isInstance(null)).toBe(false);
  });
});

describe('SourceError (PanoplyException)', () => {
  it('is retryable unless told otherwise', () => {
    expect(new SourceError('a').retryable).toBe(true);
    expect(new SourceError('a', { retryable: false }).retryable).toBe(false);
    expect(new SourceError().code).toBe('DATASOURCE_SOURCE');
  });
});

describe('TokenValidationError', () => {
  it('keeps the original error and is not retryable by default', () => {
    const original = new Error('HTTP 500');
    const error = new TokenValidationError(original, 'access token could not be refreshed (HTTP 500)');
    expect(error.originalError).toBe(original);
    expect(error.cause).toBe(original);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('DATASOURCE_TOKEN_VALIDATION');
    expect(new TokenValidationError(original, undefined, { retryable: true }).retryable).toBe(true);
  });
});

describe('IncorrectParamError', () => {
  it('has a default message, lists issues and is not retryable', () => {
    const error = new IncorrectParamError(undefined, [{ param: 'port', problem: 'must be a number' }]);
    expect(error.message).toBe('[DATASOURCE_INCORRECT_PARAM] Incorrect input parameter');
    expect(error.issues).toEqual([{ param: 'port', problem: 'must be a number' }]);
    expect(error.retryable).toBe(false);
  });
});

describe('isRetryableError', () => {
  it('is false only when retryable is exactly false', () => {
    expect(isRetryableError(new Error('plain'))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('x'), { retryable: false }))).toBe(false);
    expect(isRetryableError(new SourceError('x', { retryable: false }))).toBe(false);
    expect(isRetryableError('a string')).toBe(true);
  });
});
