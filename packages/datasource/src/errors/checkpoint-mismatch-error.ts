import { DatasourceError } from './datasource-error';

/**
 * The output a state file was committed with does not match what this run finds: another output
 * file, or a file shorter than the committed length (changed or replaced outside the run). Resuming
 * would lose or repeat records, so the run stops. Not retryable: use the same output, or remove the
 * state file to start over.
 */
export class CheckpointMismatchError extends DatasourceError {
  constructor(message: string) {
    super('DATASOURCE_CHECKPOINT_MISMATCH', message, { retryable: false });
  }
}
