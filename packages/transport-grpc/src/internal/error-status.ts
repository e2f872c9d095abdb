import { ClientError, type Metadata, ServerError, Status } from 'nice-grpc-common';
import { isTransportErrorCode, TransportError, type TransportErrorCode } from '../errors/transport-error.js';
import {
  errorAnchorTrailerKey,
  errorCodeTrailerKey,
  errorConnectionTrailerKey,
  errorStackTrailerKey,
} from './service-definition.js';

const statusByCode: Record<TransportErrorCode, Status> = {
  TRANSPORT_CONFIG: Status.FAILED_PRECONDITION,
  TRANSPORT_UNAUTHENTICATED: Status.UNAUTHENTICATED,
  TRANSPORT_PLUGIN_START: Status.UNAVAILABLE,
  TRANSPORT_PLUGIN_EXITED: Status.UNAVAILABLE,
  TRANSPORT_PLUGIN_FAILED: Status.INTERNAL,
  TRANSPORT_PROTOCOL: Status.INVALID_ARGUMENT,
  TRANSPORT_UNKNOWN_ANCHOR: Status.INVALID_ARGUMENT,
  TRANSPORT_UNKNOWN_MSG_ID: Status.INVALID_ARGUMENT,
  TRANSPORT_DCM_FAILED: Status.FAILED_PRECONDITION,
  TRANSPORT_INVALID_RECORDS: Status.INVALID_ARGUMENT,
  TRANSPORT_LIMIT_EXCEEDED: Status.RESOURCE_EXHAUSTED,
  TRANSPORT_CANCELLED: Status.CANCELLED,
  TRANSPORT_TIMEOUT: Status.DEADLINE_EXCEEDED,
  TRANSPORT_CLOSED: Status.FAILED_PRECONDITION,
  TRANSPORT_CONNECTION: Status.UNAVAILABLE,
  TRANSPORT_INPUT_FORMAT: Status.INVALID_ARGUMENT,
};

/** Any thrown value as a TransportError; non-transport errors become `fallbackCode` with their message. */
export function asTransportError(
  error: unknown,
  fallbackCode: TransportErrorCode,
  context: string,
): TransportError {
  if (TransportError.isInstance(error)) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new TransportError(fallbackCode, `${context}: ${message}`, { cause: error });
}

/** `text` percent-encoded for a trailer; a lone surrogate (which encodeURIComponent refuses) as U+FFFD. */
function encodeTrailerText(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

/** A trailer value percent-decoded; one a peer encoded wrongly is kept as it came. */
function decodeTrailerText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The server-side form of a TransportError: a gRPC status with the message as details, and the code
 * (plus, in debug mode, the plugin's stack) in trailers so the engine rebuilds the same typed error.
 */
export function toServerError(error: TransportError, trailer: Metadata, includeStack: boolean): ServerError {
  trailer.set(errorCodeTrailerKey, error.code);
  if (error.anchorName !== undefined) trailer.set(errorAnchorTrailerKey, encodeTrailerText(error.anchorName));
  if (error.connectionName !== undefined) {
    trailer.set(errorConnectionTrailerKey, encodeTrailerText(error.connectionName));
  }
  const stack = error.remoteStack ?? (error.cause instanceof Error ? error.cause.stack : undefined);
  if (includeStack && stack !== undefined) trailer.set(errorStackTrailerKey, encodeTrailerText(stack));
  return new ServerError(statusByCode[error.code], error.message);
}

const codeByStatus: Partial<Record<Status, TransportErrorCode>> = {
  [Status.UNAUTHENTICATED]: 'TRANSPORT_UNAUTHENTICATED',
  [Status.PERMISSION_DENIED]: 'TRANSPORT_UNAUTHENTICATED',
  [Status.CANCELLED]: 'TRANSPORT_CANCELLED',
  [Status.DEADLINE_EXCEEDED]: 'TRANSPORT_TIMEOUT',
  [Status.RESOURCE_EXHAUSTED]: 'TRANSPORT_LIMIT_EXCEEDED',
  [Status.INVALID_ARGUMENT]: 'TRANSPORT_PROTOCOL',
  [Status.FAILED_PRECONDITION]: 'TRANSPORT_PROTOCOL',
  [Status.INTERNAL]: 'TRANSPORT_PLUGIN_FAILED',
  [Status.UNKNOWN]: 'TRANSPORT_PLUGIN_FAILED',
};

const prefixedDetails = /^\[([A-Z_]+)\] ([\s\S]*)$/;

/** Rebuilds the typed error from a failed call: trailers first, then the details prefix, then the status. */
export function fromClientError(
  error: unknown,
  trailer: Metadata | undefined,
  method: string,
): TransportError {
  if (TransportError.isInstance(error)) return error;
  if (!(error instanceof ClientError)) {
    return asTransportError(error, 'TRANSPORT_CONNECTION', `${method} failed`);
  }
  const trailerCode = trailer?.get(errorCodeTrailerKey);
  const match = prefixedDetails.exec(error.details);
  const detailsCode = match?.[1];
  const code: TransportErrorCode = isTransportErrorCode(trailerCode)
    ? trailerCode
    : isTransportErrorCode(detailsCode)
      ? detailsCode
      : (codeByStatus[error.code] ?? 'TRANSPORT_CONNECTION');
  const message =
    match !== null && match[2] !== undefined
      ? match[2]
      : `${method}: ${Status[error.code]}: ${error.details}`;
  return new TransportError(code, message, {
    cause: error,
    anchorName: decodeTrailerText(trailer?.get(errorAnchorTrailerKey)),
    connectionName: decodeTrailerText(trailer?.get(errorConnectionTrailerKey)),
    remoteStack: decodeTrailerText(trailer?.get(errorStackTrailerKey)),
  });
}
