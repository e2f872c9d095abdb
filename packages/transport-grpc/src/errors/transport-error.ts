/**
 * Every error code `@sdk/transport-grpc` raises. The code is what to branch on: it survives the trip
 * over gRPC (as the status details prefix and the `sdk-error-code` trailer) where the class does not.
 *
 * - `TRANSPORT_CONFIG`: invalid options (a non-loopback bind without a token, a bad chunk size, ...).
 * - `TRANSPORT_UNAUTHENTICATED`: a call without the plugin's auth token.
 * - `TRANSPORT_PLUGIN_START`: the plugin process failed to start or never printed `ListenPort: <port>`.
 * - `TRANSPORT_PLUGIN_EXITED`: the plugin process died while the engine was talking to it.
 * - `TRANSPORT_PLUGIN_FAILED`: a plugin callback (constructor, onRecordBatch, ...) threw.
 * - `TRANSPORT_PROTOCOL`: a message out of order or malformed for the wire protocol.
 * - `TRANSPORT_UNKNOWN_ANCHOR`: records or writes for an anchor the tool does not declare.
 * - `TRANSPORT_UNKNOWN_MSG_ID`: a response whose `msg_id` matches no pending request.
 * - `TRANSPORT_DCM_FAILED`: the engine answered a DCM request with `success: false` (see `dcmResponse`).
 * - `TRANSPORT_INVALID_RECORDS`: record bytes that are not a valid (or complete) Arrow IPC stream.
 * - `TRANSPORT_LIMIT_EXCEEDED`: one of our memory limits (`maxStreamBytes`, `maxPendingStreamBytes`) was
 *   exceeded; names the anchor and connection whose bytes crossed it.
 * - `TRANSPORT_CANCELLED`: the call was cancelled through an AbortSignal or by the peer.
 * - `TRANSPORT_TIMEOUT`: a deadline (`timeoutMs`) expired.
 * - `TRANSPORT_CLOSED`: use of a run, provider or server after it finished.
 * - `TRANSPORT_CONNECTION`: the gRPC connection failed (unreachable, reset, unexpected status).
 * - `TRANSPORT_INPUT_FORMAT`: an input file of the command-line harness could not be parsed.
 */
export type TransportErrorCode =
  | 'TRANSPORT_CONFIG'
  | 'TRANSPORT_UNAUTHENTICATED'
  | 'TRANSPORT_PLUGIN_START'
  | 'TRANSPORT_PLUGIN_EXITED'
  | 'TRANSPORT_PLUGIN_FAILED'
  | 'TRANSPORT_PROTOCOL'
  | 'TRANSPORT_UNKNOWN_ANCHOR'
  | 'TRANSPORT_UNKNOWN_MSG_ID'
  | 'TRANSPORT_DCM_FAILED'
  | 'TRANSPORT_INVALID_RECORDS'
  | 'TRANSPORT_LIMIT_EXCEEDED'
  | 'TRANSPORT_CANCELLED'
  | 'TRANSPORT_TIMEOUT'
  | 'TRANSPORT_CLOSED'
  | 'TRANSPORT_CONNECTION'
  | 'TRANSPORT_INPUT_FORMAT';

const allCodes: ReadonlySet<string> = new Set<TransportErrorCode>([
  'TRANSPORT_CONFIG',
  'TRANSPORT_UNAUTHENTICATED',
  'TRANSPORT_PLUGIN_START',
  'TRANSPORT_PLUGIN_EXITED',
  'TRANSPORT_PLUGIN_FAILED',
  'TRANSPORT_PROTOCOL',
  'TRANSPORT_UNKNOWN_ANCHOR',
  'TRANSPORT_UNKNOWN_MSG_ID',
  'TRANSPORT_DCM_FAILED',
  'TRANSPORT_INVALID_RECORDS',
  'TRANSPORT_LIMIT_EXCEEDED',
  'TRANSPORT_CANCELLED',
  'TRANSPORT_TIMEOUT',
  'TRANSPORT_CLOSED',
  'TRANSPORT_CONNECTION',
  'TRANSPORT_INPUT_FORMAT',
]);

/** True when `value` is one of the {@link TransportErrorCode} strings. */
export function isTransportErrorCode(value: unknown): value is TransportErrorCode {
  return typeof value === 'string' && allCodes.has(value);
}

const marker = Symbol.for('@sdk/transport-grpc/TransportError');

/** Options every {@link TransportError} accepts. All default to absent. */
export interface TransportErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Incoming or outgoing anchor the error is about. */
  anchorName?: string;
  /** Connection (within `anchorName`) the error is about. */
  connectionName?: string;
  /** Stack of the error thrown inside the plugin, when the plugin runs in debug mode. */
  remoteStack?: string;
  /**
   * For `TRANSPORT_DCM_FAILED`: the engine's `DcmEResponse.response` as a plain object (an AMP engine
   * puts `message`, `errorCode` and sometimes `detail` there).
   */
  dcmResponse?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of this package. Messages start with the code in brackets so that a log line
 * reads well without the stack. Use {@link TransportError.isInstance} rather than `instanceof` when
 * several copies of the package may be installed.
 */
export class TransportError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: TransportErrorCode;
  /** Anchor the error is about, when there is one. */
  readonly anchorName: string | undefined;
  /** Connection the error is about, when there is one. */
  readonly connectionName: string | undefined;
  /** Plugin-side stack (debug mode only), when the error crossed the wire. */
  readonly remoteStack: string | undefined;
  /** For `TRANSPORT_DCM_FAILED`: the engine's failure response as a plain object; otherwise undefined. */
  readonly dcmResponse: Readonly<Record<string, unknown>> | undefined;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'TransportError';
    this.anchorName = options.anchorName;
    this.connectionName = options.connectionName;
    this.remoteStack = options.remoteStack;
    this.dcmResponse = options.dcmResponse;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True when `error` is a TransportError from any copy of `@sdk/transport-grpc`. */
  static isInstance(error: unknown): error is TransportError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
