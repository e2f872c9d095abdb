import { DatasourceError, type DatasourceErrorOptions } from './datasource-error';

/** Raised when an option passed to this package's API is invalid (programmer error, not retryable). */
export class ConfigError extends DatasourceError {
  constructor(message: string, options: Pick<DatasourceErrorOptions, 'cause'> = {}) {
    super('DATASOURCE_CONFIG', message, { ...options, retryable: false });
  }
}
