import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * A `validate` request failed: the wrapped connector's check failed, or bindings name streams the
 * source does not have. Every problem is listed, not just the first.
 */
export class FlowValidationError extends FlowShimError {
  /** One human-readable line per problem. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options: FlowShimErrorOptions = {}) {
    super(
      'FLOW_VALIDATION',
      problems.length === 1
        ? (problems[0] ?? '')
        : `${problems.length} validation errors: ${problems.join('; ')}`,
      options,
    );
    this.problems = problems;
  }
}
