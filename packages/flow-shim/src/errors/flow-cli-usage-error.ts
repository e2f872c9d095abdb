import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * The `flow-shim` command line cannot be run: an unknown option, a bad option value, no connector
 * kind (`airbyte` or `singer`), or no connector command after `--`. The command exits with code 2.
 */
export class FlowCliUsageError extends FlowShimError {
  constructor(message: string, options: FlowShimErrorOptions = {}) {
    super('FLOW_CLI_USAGE', message, options);
  }
}
