import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * Raised by the fake runtime when a connector process fails an RPC the way the real runtime would
 * refuse it: non-zero exit, no response, more than one response, or a response of the wrong type.
 */
export class FlowRuntimeError extends FlowShimError {
  /** The RPC that failed: `spec`, `discover`, `validate`, `apply` or `open`. */
  readonly rpc: string;
  /** Exit code of the connector process; null when it was killed by a signal or still running. */
  readonly exitCode: number | null;
  /** Last stderr line of the connector, which the real runtime shows as the error. */
  readonly lastLogLine: string;

  constructor(
    rpc: string,
    exitCode: number | null,
    lastLogLine: string,
    message: string,
    options: FlowShimErrorOptions = {},
  ) {
    super('FLOW_RUNTIME_RPC', `${rpc}: ${message}`, options);
    this.rpc = rpc;
    this.exitCode = exitCode;
    this.lastLogLine = lastLogLine;
  }
}
