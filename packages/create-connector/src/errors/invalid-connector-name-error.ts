import { CreateConnectorError, type CreateConnectorErrorOptions } from './create-connector-error';

/** The connector name cannot be used: `name` is what was given, `reason` says why in a few words. */
export class InvalidConnectorNameError extends CreateConnectorError {
  /** The rejected name, exactly as given. */
  readonly connectorName: string;
  /** Why the name was rejected, e.g. `must be lowercase`. */
  readonly reason: string;

  constructor(connectorName: string, reason: string, options: CreateConnectorErrorOptions = {}) {
    super(
      'CREATE_CONNECTOR_INVALID_NAME',
      `invalid connector name ${JSON.stringify(connectorName)}: ${reason}. Use lowercase kebab-case, e.g. "my-api-source".`,
      options,
    );
    this.connectorName = connectorName;
    this.reason = reason;
  }
}
