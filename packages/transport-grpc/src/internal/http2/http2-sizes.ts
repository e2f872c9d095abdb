import type { Settings } from 'node:http2';
import { TransportError } from '../../errors/transport-error.js';

/** Sizes both ends of the `http2` carrier take. Every size is in bytes. */
export interface Http2SizeOptions {
  /**
   * Largest message accepted; a larger length prefix fails the call with RESOURCE_EXHAUSTED before any
   * of it is buffered. Defaults to 4,294,967,295 (2^32 - 1, no limit).
   */
  maxMessageBytes?: number;
  /**
   * HTTP/2 stream flow-control window granted to the peer (`initialWindowSize`). Defaults to 1,048,576
   * (1 MiB). Keep it small: two peers that both allow multi-MiB writes can deadlock (see the README).
   */
  streamWindowBytes?: number;
  /** HTTP/2 connection flow-control window granted to the peer. Defaults to 8,388,608 (8 MiB). */
  connectionWindowBytes?: number;
  /** Largest HTTP/2 frame payload accepted (`maxFrameSize`), 16 KiB to 16 MiB - 1. Defaults to 65,536 (64 KiB). */
  maxFrameBytes?: number;
}

/**
 * Received messages that may wait for their consumer before the stream pauses (HTTP/2 flow control then
 * pushes back on the peer). Same on both ends. Bytes.
 */
export const readAheadBytes = 2 * 1024 * 1024;

/**
 * Bytes written to a stream but not yet sent before the writer waits for 'drain'. Waiting after every
 * ~1 MB message would leave the socket idle between messages; a few MiB in flight keeps it busy while
 * still bounding memory. Same on both ends.
 */
export const writeAheadBytes = 4 * 1024 * 1024;

/** {@link Http2SizeOptions} checked, with defaults applied. */
export interface Http2Sizes {
  readonly maxMessageBytes: number;
  readonly connectionWindowBytes: number;
  /** The SETTINGS to announce. */
  readonly settings: Settings;
}

const noMessageLimitBytes = 0xffff_ffff;
/** HTTP/2's own bounds (RFC 9113, 6.5.2). */
const largestWindowBytes = 2 ** 31 - 1;
const smallestFrameBytes = 16 * 1024;
const largestFrameBytes = 2 ** 24 - 1;

function checkedSize(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TransportError(
      'TRANSPORT_CONFIG',
      `${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Checks the sizes and applies the defaults; throws TransportError `TRANSPORT_CONFIG` for a bad one. */
export function resolveHttp2Sizes(options: Http2SizeOptions): Http2Sizes {
  return {
    maxMessageBytes: checkedSize(
      'maxMessageBytes',
      options.maxMessageBytes,
      noMessageLimitBytes,
      0,
      noMessageLimitBytes,
    ),
    connectionWindowBytes: checkedSize(
      'connectionWindowBytes',
      options.connectionWindowBytes,
      8 * 1024 * 1024,
      65_535,
      largestWindowBytes,
    ),
    settings: {
      initialWindowSize: checkedSize(
        'streamWindowBytes',
        options.streamWindowBytes,
        1024 * 1024,
        1,
        largestWindowBytes,
      ),
      maxFrameSize: checkedSize(
        'maxFrameBytes',
        options.maxFrameBytes,
        64 * 1024,
        smallestFrameBytes,
        largestFrameBytes,
      ),
    },
  };
}
