import { DatasourceError } from './datasource-error';

/** One problem found in the parameters of a data source. */
export interface ParamIssue {
  /** The parameter name, as declared in `CONFIG.params`. */
  readonly param: string;
  /** What is wrong, in words; never contains the value of a secret parameter. */
  readonly problem: string;
}

/**
 * Raised when data source parameters are missing or malformed (Panoply's `IncorrectParamError`).
 * `issues` lists every problem found, not just the first. Not retryable: the same parameters would
 * fail again.
 */
export class IncorrectParamError extends DatasourceError {
  /** Every problem found. Empty when raised with only a message. */
  readonly issues: readonly ParamIssue[];

  constructor(message = 'Incorrect input parameter', issues: readonly ParamIssue[] = []) {
    super('DATASOURCE_INCORRECT_PARAM', message, { retryable: false });
    this.issues = issues;
  }
}
