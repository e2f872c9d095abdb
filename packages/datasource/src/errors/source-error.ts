import { DatasourceError, type DatasourceErrorOptions } from './datasource-error';

/**
 * The error a data source throws to tell the runner whether to retry (Panoply's
 * `PanoplyException(message, retryable)`). `retryable` defaults to `true`.
 */
export class SourceError extends DatasourceError {
  constructor(message = 'data source error', options: DatasourceErrorOptions = {}) {
    super('DATASOURCE_SOURCE', message, options);
  }
}
