import { CreateConnectorError, type CreateConnectorErrorOptions } from './create-connector-error';

/** The directory the connector would be written to already exists; nothing was written. */
export class TargetExistsError extends CreateConnectorError {
  /** Absolute path of the existing directory (or file). */
  readonly targetDir: string;

  constructor(targetDir: string, options: CreateConnectorErrorOptions = {}) {
    super(
      'CREATE_CONNECTOR_TARGET_EXISTS',
      `${targetDir} already exists; choose another name or remove it first (nothing was written)`,
      options,
    );
    this.targetDir = targetDir;
  }
}
