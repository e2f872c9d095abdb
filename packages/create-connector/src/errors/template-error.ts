import { CreateConnectorError, type CreateConnectorErrorOptions } from './create-connector-error';

/**
 * A template could not be rendered: it names a placeholder that has no value, or the template files
 * are missing from the installed package. A bug in the generator or a damaged install, never bad input.
 */
export class TemplateError extends CreateConnectorError {
  constructor(message: string, options: CreateConnectorErrorOptions = {}) {
    super('CREATE_CONNECTOR_TEMPLATE', message, options);
  }
}
