import { StreamCdkError } from './stream-cdk-error';

/**
 * Raised at the end of a read in which one or more streams failed (after the other streams ran).
 * Always a `config_error`, as upstream does, so the platform surfaces it to the user.
 */
export class SyncFailedError extends StreamCdkError {
  /** Names of the streams that failed, as `namespace.name` when a namespace is set. */
  readonly failedStreams: readonly string[];

  constructor(failedStreams: readonly string[]) {
    super(
      'CDK_SYNC_FAILED',
      `During the sync, the following streams did not sync successfully: ${failedStreams.join(', ')}`,
      { failureType: 'config_error' },
    );
    this.failedStreams = failedStreams;
  }
}
