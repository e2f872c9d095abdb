import { StreamCdkError } from './stream-cdk-error';

/** A read option has a value that cannot work (e.g. `maxConcurrentStreams` below 1). Code `CDK_OPTION_INVALID`. */
export class ReadOptionsError extends StreamCdkError {
  constructor(message: string) {
    super('CDK_OPTION_INVALID', message, { failureType: 'config_error' });
  }
}
