/** Where in the chunked input a stream-level error happened. */
export interface ChunkerStreamLocation {
  /** Channel name given to the assembler (`AssemblerOptions.channel`), or `'unnamed'`. */
  channel: string;
  /** 1-based number of the stream on that channel (the first stream is #1). */
  streamNumber: number;
  /** Byte offset inside that stream where the problem was detected. */
  byteOffset: number;
}

/** Renders a location the same way in every error message. */
export function describeStreamLocation(location: ChunkerStreamLocation): string {
  return `channel '${location.channel}', stream #${location.streamNumber}, byte ${location.byteOffset}`;
}
