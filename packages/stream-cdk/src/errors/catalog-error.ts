import { StreamCdkError } from './stream-cdk-error';

/** The configured catalog is malformed, or names a stream the source does not have. */
export class CatalogError extends StreamCdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CDK_CATALOG_INVALID', message, { ...options, failureType: 'config_error' });
  }
}
