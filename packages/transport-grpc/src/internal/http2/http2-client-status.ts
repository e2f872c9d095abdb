/**
 * How the client turns what HTTP/2 reports into gRPC status codes when the server sent no gRPC status
 * of its own (PROTOCOL-HTTP2 and gRPC's HTTP-to-gRPC status mapping).
 */
import { constants } from 'node:http2';
import { Status } from 'nice-grpc-common';

/**
 * The gRPC code for a response whose `:status` is not 200: a proxy or a non-gRPC server answered.
 * 400 INTERNAL, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504
 * UNAVAILABLE, anything else UNKNOWN.
 */
export function statusOfHttpStatus(httpStatus: number): Status {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/**
 * The gRPC code for a stream the server reset without a status: CANCEL means the call was cancelled,
 * REFUSED_STREAM that the server never began it (safe to retry), anything else is a protocol fault.
 */
export function statusOfResetCode(resetCode: number): Status {
  if (resetCode === constants.NGHTTP2_CANCEL) return Status.CANCELLED;
  if (resetCode === constants.NGHTTP2_REFUSED_STREAM) return Status.UNAVAILABLE;
  return Status.INTERNAL;
}

/** Whether a response `content-type` announces gRPC (`application/grpc`, optionally `+proto` etc.). */
export function isGrpcContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const lower = contentType.toLowerCase();
  return (
    lower === 'application/grpc' ||
    lower.startsWith('application/grpc+') ||
    lower.startsWith('application/grpc;')
  );
}

/** Parses a `grpc-status` header value; undefined when it is missing or not a status number. */
export function parseGrpcStatus(value: string | string[] | undefined): Status | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const code = Number(text);
  return code in Status ? (code as Status) : Status.UNKNOWN;
}
