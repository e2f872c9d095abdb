import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { describeValueKind } from './internal/describe-value.js';
import { type FramerLimits, IpcStreamFramer } from './internal/ipc-stream-framer.js';
import { positiveIntegerOption } from './internal/validate-options.js';
import {
  DEFAULT_MAX_CHUNK_BYTES,
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_MAX_STREAM_BYTES,
  type IpcChunk,
  MAX_NESTING_DEPTH_LIMIT,
} from './ipc-chunk.js';

/** Options of {@link chunkIpcStream} and {@link chunkIpcStreamAsync}. */
export interface ChunkIpcStreamOptions {
  /** Largest `data` length of one chunk, in bytes. Defaults to 1_048_576 (1 MiB). Minimum 1. */
  maxChunkBytes?: number;
  /**
   * Largest stream produced, in bytes. Defaults to 268_435_456 (256 MiB, {@link DEFAULT_MAX_STREAM_BYTES}),
   * the receiver's default. A longer input stream is cut into several streams, each starting with the
   * schema and the dictionaries in force; a single message too large for any stream is an error. Set
   * the same value as the receiver's `maxStreamBytes`. Minimum 1.
   */
  maxStreamBytes?: number;
  /**
   * Deepest type nesting accepted in the input's schemas, in levels (as AssemblerOptions.maxNestingDepth).
   * Defaults to 64 ({@link DEFAULT_MAX_NESTING_DEPTH}); from 1 to 1000.
   */
  maxNestingDepth?: number;
  /** Name of the input in error messages. Defaults to `'input'`. */
  channel?: string;
}

/**
 * Cuts Arrow IPC stream bytes you already have (from pyarrow, polars, a file, another service) into
 * chunks of at most `maxChunkBytes`, the same chunked format {@link encodeChunks} produces, without
 * decoding them: `source` is the whole stream as one Uint8Array, or an iterable of its pieces in order
 * (any sizes, cut anywhere). Use {@link chunkIpcStreamAsync} for async sources (a Node readable stream,
 * a fetch body, a gRPC request stream).
 *
 * The framing is checked as the bytes pass, never the bodies: every message's prefix and metadata
 * (bounds-checked, nesting depth), the message order (a schema first, then record batches and
 * dictionaries), dictionary ids and deltas, the raw lengths and null counts of every batch header, and
 * that every buffer lies inside its body; the receiver checks the rest when it decodes. Each stream in
 * the input (several may be concatenated, each ending with its end-of-stream marker) becomes one
 * chunked stream, or several when it is longer than `maxStreamBytes` (each then starts with the schema
 * and the dictionaries in force, so each decodes on its own, and together they hold the same batches
 * in order).
 *
 * Chunks are views of your bytes where a message body allows (one copy otherwise, only of chunks that
 * gather several small parts): do not modify the source's buffers while its chunks are in use. Lazy:
 * pieces are read as the chunks are consumed.
 *
 * @throws ChunkerConfigError for bad options (at once); while iterating: ChunkerInvalidSourceError for
 * a piece that is not a Uint8Array; ChunkerInvalidIpcError for bytes that are not a valid IPC stream
 * (with the stream number and byte offset); ChunkerTruncatedStreamError when the input ends inside a
 * message or without an end-of-stream marker; ChunkerStreamTooLargeError for a message that cannot fit
 * a stream of `maxStreamBytes`.
 */
export function chunkIpcStream(
  source: Uint8Array | Iterable<Uint8Array>,
  options: ChunkIpcStreamOptions = {},
): Iterable<IpcChunk> {
  const limits = resolveFramerLimits(options);
  const pieces = piecesOf(source, 'chunkIpcStream');
  if (typeof (pieces as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new ChunkerInvalidSourceError(
      -1,
      'chunkIpcStream takes a Uint8Array or an iterable of Uint8Array pieces (use chunkIpcStreamAsync for async iterables)',
    );
  }
  return { [Symbol.iterator]: () => frame(pieces as Iterable<unknown>, limits) };
}

/**
 * Async form of {@link chunkIpcStream}: also accepts an async iterable of byte pieces, and reads the
 * next piece only when the consumer asks for more chunks.
 *
 * @throws the same errors as {@link chunkIpcStream}.
 */
export function chunkIpcStreamAsync(
  source: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ChunkIpcStreamOptions = {},
): AsyncIterable<IpcChunk> {
  const limits = resolveFramerLimits(options);
  const pieces = piecesOf(source, 'chunkIpcStreamAsync');
  return frameAsync(pieces as Iterable<unknown> | AsyncIterable<unknown>, limits);
}

function resolveFramerLimits(options: ChunkIpcStreamOptions): FramerLimits {
  return {
    maxChunkBytes: positiveIntegerOption('maxChunkBytes', options.maxChunkBytes, DEFAULT_MAX_CHUNK_BYTES),
    maxStreamBytes: positiveIntegerOption('maxStreamBytes', options.maxStreamBytes, DEFAULT_MAX_STREAM_BYTES),
    maxNestingDepth: positiveIntegerOption(
      'maxNestingDepth',
      options.maxNestingDepth,
      DEFAULT_MAX_NESTING_DEPTH,
      1,
      MAX_NESTING_DEPTH_LIMIT,
    ),
    channel: options.channel ?? 'input',
  };
}

function piecesOf(source: unknown, name: string): unknown {
  if (source instanceof Uint8Array) return [source];
  const isIterable =
    typeof source === 'object' &&
    source !== null &&
    (typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function' ||
      typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function');
  if (!isIterable) {
    throw new ChunkerInvalidSourceError(
      -1,
      `${name} takes a Uint8Array or an (async) iterable of Uint8Array pieces, got ${describeValueKind(source)}`,
    );
  }
  return source;
}

function checkPiece(piece: unknown, itemIndex: number): Uint8Array {
  if (piece instanceof Uint8Array) return piece;
  throw new ChunkerInvalidSourceError(
    itemIndex,
    `expected a Uint8Array piece of IPC stream bytes, got ${describeValueKind(piece)}`,
  );
}

function* frame(pieces: Iterable<unknown>, limits: FramerLimits): Generator<IpcChunk> {
  const framer = new IpcStreamFramer(limits);
  let itemIndex = 0;
  for (const piece of pieces) {
    yield* framer.push(checkPiece(piece, itemIndex));
    itemIndex += 1;
  }
  yield* framer.finish();
}

async function* frameAsync(
  pieces: Iterable<unknown> | AsyncIterable<unknown>,
  limits: FramerLimits,
): AsyncGenerator<IpcChunk> {
  const framer = new IpcStreamFramer(limits);
  let itemIndex = 0;
  for await (const piece of pieces) {
    yield* framer.push(checkPiece(piece, itemIndex));
    itemIndex += 1;
  }
  yield* framer.finish();
}
