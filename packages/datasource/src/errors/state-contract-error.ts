import { DatasourceError } from './datasource-error';

/**
 * A data source broke the `__state` contract (a record without a state id, or whose state was not
 * reported before the batch was returned) or returned something other than an array or `null`.
 * Not retryable: it is a bug in the source.
 */
export class StateContractError extends DatasourceError {
  constructor(message: string) {
    super('DATASOURCE_STATE_CONTRACT', message, { retryable: false });
  }
}
