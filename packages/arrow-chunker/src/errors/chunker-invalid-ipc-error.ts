import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';
import { type ChunkerStreamLocation, describeStreamLocation } from './chunker-stream-location.js';

/** A reassembled stream is not a valid Arrow IPC stream (garbage bytes, an unknown message, bytes after the end-of-stream marker, or a body Arrow cannot decode). */
export class ChunkerInvalidIpcError extends ChunkerError {
  /** Channel name given to the assembler, or `'unnamed'`. */
  readonly channel: string;
  /** 1-based number of the stream on that channel. */
  readonly streamNumber: number;
  /** Byte offset inside the stream where the problem was detected. */
  readonly byteOffset: number;

  constructor(location: ChunkerStreamLocation, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_INVALID_IPC', `${describeStreamLocation(location)}: ${message}`, options);
    this.channel = location.channel;
    this.streamNumber = location.streamNumber;
    this.byteOffset = location.byteOffset;
  }
}
