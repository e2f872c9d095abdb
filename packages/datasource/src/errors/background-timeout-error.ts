import { DatasourceError } from './datasource-error';

/**
 * A call wrapped by `backgroundProgress` did not settle within its timeout ("Max waiting time
 * exceeded"). Retryable, like the plain exception Panoply raises.
 */
export class BackgroundTimeoutError extends DatasourceError {
  constructor(timeoutMs: number) {
    super('DATASOURCE_BACKGROUND_TIMEOUT', `Max waiting time exceeded (${timeoutMs} ms)`);
  }
}
