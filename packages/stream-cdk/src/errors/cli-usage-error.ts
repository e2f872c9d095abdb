import { StreamCdkError } from './stream-cdk-error';

/** The command line is wrong: unknown command, missing `--config`, unreadable or non-JSON file. */
export class CliUsageError extends StreamCdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CDK_CLI_USAGE', message, { ...options, failureType: 'config_error' });
  }
}
