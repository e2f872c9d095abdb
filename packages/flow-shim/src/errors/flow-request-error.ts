import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/** Codes of problems with what the runtime wrote on the connector's stdin. */
export type FlowRequestErrorCode =
  | 'FLOW_INVALID_JSON'
  | 'FLOW_LINE_TOO_LONG'
  | 'FLOW_UNKNOWN_REQUEST'
  | 'FLOW_INVALID_REQUEST';

/**
 * A request line on stdin could not be used: not JSON, longer than the line limit, not one of the
 * protocol's requests, a field of the wrong type, or a request that makes no sense at this point
 * of the session (e.g. `acknowledge` before `open`).
 */
export class FlowRequestError extends FlowShimError {
  /** 1-based number of the offending stdin line; 0 when not tied to one line. */
  readonly lineNumber: number;

  constructor(
    code: FlowRequestErrorCode,
    lineNumber: number,
    message: string,
    options: FlowShimErrorOptions = {},
  ) {
    super(code, lineNumber > 0 ? `stdin line ${lineNumber}: ${message}` : message, options);
    this.lineNumber = lineNumber;
  }
}
