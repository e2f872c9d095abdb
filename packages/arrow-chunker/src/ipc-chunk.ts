/**
 * One message of the chunked format: all or part of one Arrow IPC stream. Concatenating the `data` of
 * consecutive chunks up to and including the one with `endOfChunk: true` gives exactly one complete
 * Arrow IPC stream (schema message, dictionary and record batch messages, end-of-stream marker).
 */
export interface IpcChunk {
  /** Bytes of the stream; may be a view into a larger buffer at any byte offset. */
  readonly data: Uint8Array;
  /** True on the last chunk of a stream: the stream is then complete and can be decoded. */
  readonly endOfChunk: boolean;
}

/** Default upper bound of `IpcChunk.data` length produced by the encoder: 1 MiB (1_048_576 bytes). */
export const DEFAULT_MAX_CHUNK_BYTES = 1_048_576;

/** Default upper bound of one reassembled stream accepted by the assembler: 256 MiB (268_435_456 bytes). */
export const DEFAULT_MAX_STREAM_BYTES = 268_435_456;

/**
 * Default deepest type nesting accepted in a received schema: 64 levels (a top-level column of a flat
 * type is 1 level; each List, Struct, Map or Union level adds one). Arrow C++ readers use the same
 * default.
 */
export const DEFAULT_MAX_NESTING_DEPTH = 64;

/** Largest `maxNestingDepth` accepted: deeper schemas would recurse past the JS stack in Arrow's decoder. */
export const MAX_NESTING_DEPTH_LIMIT = 1000;
