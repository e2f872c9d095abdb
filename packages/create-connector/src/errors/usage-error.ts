import { CreateConnectorError, type CreateConnectorErrorOptions } from './create-connector-error';

/** The command line could not be understood (missing name, unknown flag, flag without a value). */
export class UsageError extends CreateConnectorError {
  constructor(message: string, options: CreateConnectorErrorOptions = {}) {
    super('CREATE_CONNECTOR_USAGE', message, options);
  }
}
