import { DatasourceError } from './datasource-error';

/** The state file cannot be read, parsed or written. Not retryable. */
export class StateFileError extends DatasourceError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DATASOURCE_STATE_FILE', message, { ...options, retryable: false });
  }
}
