import { StreamCdkError } from './stream-cdk-error';

/** Obtaining credentials failed (for example the OAuth2 token endpoint refused the refresh token). */
export class AuthenticationError extends StreamCdkError {
  /** HTTP status returned by the token endpoint, if any. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('CDK_AUTH_FAILED', message, { cause: options.cause, failureType: 'config_error' });
    this.status = options.status;
  }
}
