import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';
import { type ChunkerStreamLocation, describeStreamLocation } from './chunker-stream-location.js';

/** A stream was marked complete (`endOfChunk`) but its bytes stop inside a message or before the end-of-stream marker. */
export class ChunkerTruncatedStreamError extends ChunkerError {
  /** Channel name given to the assembler, or `'unnamed'`. */
  readonly channel: string;
  /** 1-based number of the stream on that channel. */
  readonly streamNumber: number;
  /** Byte offset inside the stream where the problem was detected. */
  readonly byteOffset: number;

  constructor(location: ChunkerStreamLocation, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_TRUNCATED_STREAM', `${describeStreamLocation(location)}: ${message}`, options);
    this.channel = location.channel;
    this.streamNumber = location.streamNumber;
    this.byteOffset = location.byteOffset;
  }
}
