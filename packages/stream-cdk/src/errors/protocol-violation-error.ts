import { StreamCdkError } from './stream-cdk-error';

/** A message or catalog does not conform to the Airbyte protocol schema. */
export class ProtocolViolationError extends StreamCdkError {
  /** Every schema problem found, as `instancePath message` lines. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[]) {
    super('CDK_PROTOCOL_VIOLATION', `${message}: ${problems.join('; ')}`, { failureType: 'system_error' });
    this.problems = problems;
  }
}
