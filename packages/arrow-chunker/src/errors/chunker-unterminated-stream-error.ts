import { ChunkerError, type ChunkerErrorOptions } from './chunker-error.js';
import { type ChunkerStreamLocation, describeStreamLocation } from './chunker-stream-location.js';

/** Input ended (assembler closed, or the chunk source finished) while a stream was still waiting for its `endOfChunk` chunk. */
export class ChunkerUnterminatedStreamError extends ChunkerError {
  /** Channel name given to the assembler, or `'unnamed'`. */
  readonly channel: string;
  /** 1-based number of the stream on that channel. */
  readonly streamNumber: number;
  /** Byte offset inside the stream where the problem was detected. */
  readonly byteOffset: number;

  constructor(location: ChunkerStreamLocation, message: string, options: ChunkerErrorOptions = {}) {
    super('CHUNKER_UNTERMINATED_STREAM', `${describeStreamLocation(location)}: ${message}`, options);
    this.channel = location.channel;
    this.streamNumber = location.streamNumber;
    this.byteOffset = location.byteOffset;
  }
}
