import { CatalogError } from './catalog-error';
import { ConfigValidationError } from './config-validation-error';
import { HttpRequestError } from './http-request-error';
import { StreamCdkError } from './stream-cdk-error';
import { SyncFailedError } from './sync-failed-error';
import { TracedError } from './traced-error';

describe('StreamCdkError', () => {
  it('prefixes the code, keeps the cause, and classifies the failure', () => {
    const cause = new Error('root');
    const error = new HttpRequestError('CDK_HTTP_STATUS', 'GET x answered 500', {
      status: 500,
      cause,
      failureType: 'transient_error',
    });
    expect(error.message).toBe('[CDK_HTTP_STATUS] GET x answered 500');
    expect(error.cause).toBe(cause);
    expect(error.failureType).toBe('transient_error');
    expect(error.name).toBe('HttpRequestError');
  });

  it('recognises instances by marker, per class', () => {
    const error = new CatalogError('missing');
    expect(StreamCdkError.isInstance(error)).toBe(true);
    expect(CatalogError.isInstance(error)).toBe(true);
    expect(SyncFailedError.isInstance(error)).toBe(false);
    expect(StreamCdkError.isInstance(new Error('x'))).toBe(false);
    expect(StreamCdkError.isInstance(null)).toBe(false);
    // A copy from another install has the same Symbol.for markers but another prototype.
    const foreign = Object.create(null) as Record<symbol, unknown>;
    foreign[Symbol.for('@sdk/stream-cdk/StreamCdkError')] = true;
    foreign[Symbol.for('@sdk/stream-cdk/CatalogError')] = true;
    expect(CatalogError.isInstance(foreign)).toBe(true);
  });

  it('lists every config problem in one readable message', () => {
    const error = new ConfigValidationError([
      { path: '/api_key', message: 'is required' },
      { path: '', message: 'must be object' },
    ]);
    expect(error.code).toBe('CDK_CONFIG_INVALID');
    expect(error.failureType).toBe('config_error');
    expect(error.message).toBe(
      '[CDK_CONFIG_INVALID] Config does not match the spec: /api_key is required; (root) must be object',
    );
  });

  it('TracedError keeps the user message apart from the code', () => {
    const error = new TracedError('I have failed you Anakin.', { internalMessage: 'detail' });
    expect(error.userMessage).toBe('I have failed you Anakin.');
    expect(error.failureType).toBe('system_error');
    expect(error.code).toBe('CDK_STREAM_FAILED');
  });
});
