/**
 * What a gRPC server puts on the wire besides messages: the response headers, the status (as trailers
 * or as a Trailers-Only response), and which requests count as gRPC at all.
 */
import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Metadata, Status } from 'nice-grpc-common';
import { encodeStatusMessage, metadataToHeaders } from './grpc-headers.js';

/** Whether `content-type` names gRPC (`application/grpc`, `application/grpc+proto`, ...). */
export function isGrpcContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/grpc' || type.startsWith('application/grpc+');
}

/** Headers every gRPC response starts with. */
export function responseHeaderBase(): OutgoingHttpHeaders {
  return { ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': 'identity' };
}

/** Status headers (`grpc-status`, `grpc-message`) plus custom trailer metadata. */
export function statusHeaders(
  code: Status,
  details: string,
  trailer: Metadata | undefined,
  into: OutgoingHttpHeaders = {},
): OutgoingHttpHeaders {
  metadataToHeaders(trailer, into);
  into['grpc-status'] = String(code);
  if (details !== '') into['grpc-message'] = encodeStatusMessage(details);
  return into;
}

/**
 * Answers a stream with one HEADERS frame with END_STREAM (a gRPC Trailers-Only response, or a bare
 * HTTP error) and lets go of whatever the client still sends (RST_STREAM NO_ERROR once it is out).
 */
export function respondAndEnd(stream: ServerHttp2Stream, headers: OutgoingHttpHeaders): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(headers, { endStream: true });
  releaseRequestSide(stream);
}

/** After our response ended: a client still sending is told to stop, as HTTP/2 wants it (NO_ERROR). */
export function releaseRequestSide(stream: ServerHttp2Stream): void {
  if (stream.readableEnded || stream.destroyed || stream.closed) return;
  // Discard what is already in flight so the session's connection window keeps moving.
  stream.resume();
  // Node submits RST_STREAM ahead of frames still queued in the session: reset at once and the final
  // HEADERS (trailers) never leave. Resetting on the next turn lets the current send flush them first.
  setImmediate(() => {
    if (!stream.readableEnded && !stream.destroyed && !stream.closed)
      stream.close(constants.NGHTTP2_NO_ERROR);
  });
}
