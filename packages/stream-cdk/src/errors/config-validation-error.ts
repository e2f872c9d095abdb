import { StreamCdkError } from './stream-cdk-error';

/** One problem found while validating a connector config against its spec. */
export interface ConfigProblem {
  /** JSON pointer of the offending value, `''` for the root object. */
  path: string;
  /** Human-readable description of the problem. */
  message: string;
}

/**
 * The connector config does not match the spec's `connectionSpecification`. Lists every problem,
 * never only the first, and never includes secret values. Always a `config_error`.
 */
export class ConfigValidationError extends StreamCdkError {
  /** Every problem found, in schema order. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    const lines = problems.map((problem) => `${problem.path || '(root)'} ${problem.message}`);
    super('CDK_CONFIG_INVALID', `Config does not match the spec: ${lines.join('; ')}`, {
      ...options,
      failureType: 'config_error',
    });
    this.problems = problems;
  }
}
