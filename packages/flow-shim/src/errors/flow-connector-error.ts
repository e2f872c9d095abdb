import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/** Codes of failures of a wrapped (Airbyte or Singer) connector. */
export type FlowConnectorErrorCode =
  | 'FLOW_CONNECTOR_OUTPUT'
  | 'FLOW_UNKNOWN_STREAM'
  | 'FLOW_CONNECTOR_EXITED';

/**
 * A wrapped connector misbehaved: wrote a line that is not a protocol message
 * (`FLOW_CONNECTOR_OUTPUT`), emitted a record or state for a stream that is not bound
 * (`FLOW_UNKNOWN_STREAM`), or exited non-zero / was killed / stopped mid-read
 * (`FLOW_CONNECTOR_EXITED`). State checkpointed before the failure stays committed.
 */
export class FlowConnectorError extends FlowShimError {
  /** The wrapped connector, e.g. its command line or `Source` name. */
  readonly connector: string;
  /** The stream being read when it failed; empty when unknown or not stream-specific. */
  readonly stream: string;
  /** What went wrong, without the code and connector prefix. */
  readonly detail: string;

  constructor(
    code: FlowConnectorErrorCode,
    connector: string,
    stream: string,
    message: string,
    options: FlowShimErrorOptions = {},
  ) {
    super(code, `connector '${connector}'${stream ? `, stream '${stream}'` : ''}: ${message}`, options);
    this.connector = connector;
    this.stream = stream;
    this.detail = message;
  }
}
