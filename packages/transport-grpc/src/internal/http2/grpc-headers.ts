/**
 * The header values gRPC over HTTP/2 defines (PROTOCOL-HTTP2): `grpc-timeout`, the percent-encoded
 * `grpc-message`, and custom metadata, which travels as ordinary headers (binary values, keys ending
 * in `-bin`, base64-encoded).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { Metadata } from 'nice-grpc-common';

/** Headers gRPC itself uses; they never reach or come from custom metadata. */
const reservedHeaders = new Set([
  'content-type',
  'te',
  'user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'grpc-status',
  'grpc-message',
  'grpc-status-details-bin',
  'content-length',
  'connection',
  'host',
  'accept-encoding',
]);

function isCustomMetadataKey(key: string): boolean {
  return !key.startsWith(':') && !reservedHeaders.has(key);
}

/**
 * Encodes a status message for `grpc-message`: bytes outside printable ASCII, and `%`, become `%XX` of
 * their UTF-8 bytes.
 */
export function encodeStatusMessage(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    encoded +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * Decodes `grpc-message`; a malformed escape is kept as it stands, as the protocol asks. node:http2
 * hands header values over as latin1, one char per received byte, so a peer that sends raw UTF-8
 * instead of escapes is read as UTF-8 too; a value with a char above U+00FF did not come off the
 * wire and is read as text. Invalid UTF-8 becomes U+FFFD.
 */
export function decodeStatusMessage(value: string): string {
  const fromWire = !/[\u0100-\uffff]/.test(value);
  const bytes: number[] = [];
  let index = 0;
  while (index < value.length) {
    const code = value.codePointAt(index) as number;
    if (code === 0x25 && /^[0-9a-fA-F]{2}$/.test(value.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(value.slice(index + 1, index + 3), 16));
      index += 3;
      continue;
    }
    if (fromWire) bytes.push(code);
    else for (const byte of Buffer.from(String.fromCodePoint(code), 'utf8')) bytes.push(byte);
    index += code > 0xffff ? 2 : 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

const timeoutUnitsMs: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1_000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
};

/** Longest delay `setTimeout` honours (2^31 - 1 ms, ~24.8 days); longer ones fire at once. */
export const largestTimerMs = 2 ** 31 - 1;

/** Parses `grpc-timeout` (up to eight digits and a unit) into milliseconds; undefined when malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (match === null) return undefined;
  return Number(match[1]) * (timeoutUnitsMs[match[2] as string] as number);
}

/** Formats a timeout in milliseconds as `grpc-timeout`, rounding up so a deadline is never advanced. */
export function formatGrpcTimeout(timeoutMs: number): string {
  const remaining = Math.max(0, Math.ceil(timeoutMs));
  if (remaining < 100_000_000) return `${remaining}m`;
  const seconds = Math.ceil(remaining / 1000);
  if (seconds < 100_000_000) return `${seconds}S`;
  return `${Math.min(99_999_999, Math.ceil(seconds / 3600))}H`;
}

/** Custom metadata as request headers or trailers: reserved keys dropped, binary values base64. */
export function metadataToHeaders(
  metadata: Metadata | undefined,
  into: OutgoingHttpHeaders = {},
): OutgoingHttpHeaders {
  if (metadata === undefined) return into;
  for (const [key, values] of metadata) {
    if (!isCustomMetadataKey(key)) continue;
    into[key] = values.map((value) =>
      typeof value === 'string'
        ? value
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
    );
  }
  return into;
}

/** Keys gRPC metadata may have (PROTOCOL-HTTP2: `0-9 a-z _ - .`); HTTP/2 header names allow more. */
const metadataKeyPattern = /^[0-9a-z_.-]+$/;
/** Values of non-binary metadata: printable ASCII and space; HTTP/2 header values allow more. */
const metadataValuePattern = /^[ -~]*$/;

/**
 * Custom metadata read from received headers or trailers. A header that HTTP/2 carries but gRPC
 * metadata cannot hold (a name with `!` or `~`, a value with a byte outside printable ASCII) is
 * dropped, as grpc-js drops it: the peer's other metadata and the call go on.
 */
export function headersToMetadata(headers: IncomingHttpHeaders): Metadata {
  const metadata = Metadata();
  for (const [key, raw] of Object.entries(headers)) {
    if (raw === undefined || !isCustomMetadataKey(key) || !metadataKeyPattern.test(key)) continue;
    // Node joins nothing for HTTP/2: repeated headers arrive as arrays, single ones as strings.
    const values = Array.isArray(raw) ? raw : [String(raw)];
    for (const value of values) {
      if (key.endsWith('-bin')) metadata.append(key, Buffer.from(value, 'base64'));
      else if (metadataValuePattern.test(value)) metadata.append(key, value);
    }
  }
  return metadata;
}
