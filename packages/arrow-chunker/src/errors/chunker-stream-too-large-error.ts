import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';
import { type ChunkerStreamLocation, describeStreamLocation } from './chunker-stream-location.js';

/** One stream grew beyond `maxStreamBytes`; the rest of that stream is discarded up to its `endOfChunk`. */
export class ChunkerStreamTooLargeError extends ChunkerError {
  /** Channel name given to the assembler, or `'unnamed'`. */
  readonly channel: string;
  /** 1-based number of the stream on that channel. */
  readonly streamNumber: number;
  /** Byte offset inside the stream where the problem was detected. */
  readonly byteOffset: number;

  constructor(location: ChunkerStreamLocation, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_STREAM_TOO_LARGE', `${describeStreamLocation(location)}: ${message}`, options);
    this.channel = location.channel;
    this.streamNumber = location.streamNumber;
    this.byteOffset = location.byteOffset;
  }
}
