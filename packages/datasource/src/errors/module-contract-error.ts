import { DatasourceError } from './datasource-error';

/** A data source module does not export a usable `Stream` class and `CONFIG` object. Not retryable. */
export class ModuleContractError extends DatasourceError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DATASOURCE_MODULE_CONTRACT', message, { ...options, retryable: false });
  }
}
