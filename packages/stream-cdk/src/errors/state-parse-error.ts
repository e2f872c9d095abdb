import { StreamCdkError } from './stream-cdk-error';

/** Incoming connector state is malformed (not a state message list, bad GLOBAL, bad partitions). */
export class StateParseError extends StreamCdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CDK_STATE_INVALID', message, { ...options, failureType: 'config_error' });
  }
}
