import { isArrowRecordBatch, isArrowTable, type RecordBatch, type Table } from 'apache-arrow';
import { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
import { isLocalRecordBatch, isLocalTable } from './internal/arrow-instance.js';
import { foreignArrowError } from './internal/foreign-arrow-error.js';
import { IpcStreamEncoder, type IpcStreamLimits } from './internal/ipc-stream-encoder.js';
import { positiveIntegerOption } from './internal/validate-options.js';
import { DEFAULT_MAX_CHUNK_BYTES, DEFAULT_MAX_STREAM_BYTES, type IpcChunk } from './ipc-chunk.js';

/** Options of {@link encodeChunks} and {@link encodeChunksAsync}. */
export interface EncodeOptions {
  /** Largest `data` length of one chunk, in bytes. Defaults to 1_048_576 (1 MiB). Minimum 1. */
  maxChunkBytes?: number;
  /**
   * Record batches per IPC stream before a new stream starts, even with an unchanged schema. Defaults to
   * unlimited (one stream per run of equal schemas). Set it (e.g. to 1) for long or endless sources: the
   * receiver buffers a whole stream before decoding it, so streams must stay below its `maxStreamBytes`.
   */
  maxBatchesPerStream?: number;
  /**
   * Largest IPC stream produced, in bytes (end-of-stream marker included). Defaults to 268_435_456
   * (256 MiB, {@link DEFAULT_MAX_STREAM_BYTES}): the receiver's default `maxStreamBytes`, so that the
   * default sender and the default receiver always agree. A stream ends before a batch that would pass
   * it, and a batch that alone would pass it is split by rows into several batches (in several
   * streams). Set the same value on both sides when you change it. Minimum 1.
   */
  maxStreamBytes?: number;
}

/**
 * Encodes a Table, a RecordBatch or an iterable of RecordBatches as Arrow IPC stream chunks of at most
 * `maxChunkBytes` each. Batches with equal schemas share one stream; a schema change ends the stream
 * (its last chunk has `endOfChunk: true`) and starts a new one, so no batch is dropped. A table without
 * batches gives a schema-only stream; an empty iterable gives no chunks at all (there is no schema).
 *
 * A column buffer of at least half of `maxChunkBytes` gets chunks of its own, which are views of it
 * (no copy), back to back, so a chunk before or after it can be shorter than `maxChunkBytes`; smaller
 * pieces (message headers, padding, small columns) are packed into full chunks, each copied once into
 * its own allocation. So do not modify a batch's buffers while its chunks (or, in the same process,
 * Tables decoded from them) are in use. Encoding is lazy: bytes are produced as the returned iterable
 * is consumed, holding about `maxChunkBytes` plus one batch.
 *
 * To chunk IPC stream bytes you already have (from pyarrow, polars, a file), use
 * {@link chunkIpcStream}: passing bytes here is an error, never read as batches.
 *
 * @throws ChunkerConfigError for a bad `maxChunkBytes`, `maxBatchesPerStream` or `maxStreamBytes`;
 * ChunkerInvalidSourceError (while iterating, for items) for anything that is not an Arrow object of this
 * apache-arrow copy (bytes included: the message points to chunkIpcStream), a batch Arrow cannot
 * encode, or a single row larger than `maxStreamBytes`.
 */
export function encodeChunks(
  source: Table | RecordBatch | Iterable<RecordBatch>,
  options: EncodeOptions = {},
): Iterable<IpcChunk> {
  const limits = resolveLimits(options);
  checkSourceObject(source);
  if (isLocalTable(source)) return reiterable(() => encodeTable(source, limits));
  if (isLocalRecordBatch(source)) return reiterable(() => encodeBatches([source], limits));
  if (!isSyncIterable(source)) {
    throw new ChunkerInvalidSourceError(
      -1,
      'source must be a Table, a RecordBatch or an iterable of RecordBatches (use encodeChunksAsync for async iterables)',
    );
  }
  return reiterable(() => encodeBatches(source, limits));
}

/** Each iteration encodes afresh (as far as the source itself can be iterated again). */
function reiterable<T>(start: () => Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: start };
}

/**
 * Async form of {@link encodeChunks}: accepts an async iterable of RecordBatches too, and pulls the
 * next batch only when the consumer asks for more chunks (backpressure follows the consumer).
 *
 * @throws ChunkerConfigError for a bad `maxChunkBytes` or `maxBatchesPerStream`;
 * ChunkerInvalidSourceError for anything that is not an Arrow object of this apache-arrow copy, or a
 * batch Arrow cannot encode.
 */
export function encodeChunksAsync(
  source: AsyncIterable<RecordBatch> | Iterable<RecordBatch> | Table | RecordBatch,
  options: EncodeOptions = {},
): AsyncIterable<IpcChunk> {
  const limits = resolveLimits(options);
  checkSourceObject(source);
  if (isLocalTable(source) || isLocalRecordBatch(source) || isSyncIterable(source)) {
    return toAsync(encodeChunks(source as Table | RecordBatch | Iterable<RecordBatch>, limits));
  }
  if (!isAsyncIterable(source)) {
    throw new ChunkerInvalidSourceError(
      -1,
      'source must be a Table, a RecordBatch, or an (async) iterable of RecordBatches',
    );
  }
  return encodeBatchesAsync(source, limits);
}

type EncodeLimits = IpcStreamLimits;

function resolveLimits(options: EncodeOptions): EncodeLimits {
  return {
    maxStreamBytes: positiveIntegerOption('maxStreamBytes', options.maxStreamBytes, DEFAULT_MAX_STREAM_BYTES),
    maxChunkBytes: positiveIntegerOption('maxChunkBytes', options.maxChunkBytes, DEFAULT_MAX_CHUNK_BYTES),
    maxBatchesPerStream: positiveIntegerOption(
      'maxBatchesPerStream',
      options.maxBatchesPerStream,
      Number.MAX_SAFE_INTEGER,
    ),
  };
}

function* encodeTable(table: Table, limits: EncodeLimits): Generator<IpcChunk> {
  if (table.batches.length === 0) {
    const encoder = new IpcStreamEncoder(limits);
    yield* encoder.addSchemaOnly(table.schema);
    yield* encoder.end();
    return;
  }
  yield* encodeBatches(table.batches, limits);
}

function* encodeBatches(batches: Iterable<RecordBatch>, limits: EncodeLimits): Generator<IpcChunk> {
  const encoder = new IpcStreamEncoder(limits);
  let itemIndex = 0;
  for (const batch of batches) {
    yield* encoder.add(checkBatch(batch, itemIndex), itemIndex);
    itemIndex += 1;
  }
  yield* encoder.end();
}

async function* encodeBatchesAsync(
  batches: AsyncIterable<RecordBatch>,
  limits: EncodeLimits,
): AsyncGenerator<IpcChunk> {
  const encoder = new IpcStreamEncoder(limits);
  let itemIndex = 0;
  for await (const batch of batches) {
    yield* encoder.add(checkBatch(batch, itemIndex), itemIndex);
    itemIndex += 1;
  }
  yield* encoder.end();
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function checkBatch(item: unknown, itemIndex: number): RecordBatch {
  if (isLocalRecordBatch(item)) return item;
  if (isArrowRecordBatch(item)) throw foreignArrowError(item, 'RecordBatch', itemIndex);
  if (ArrayBuffer.isView(item)) {
    throw new ChunkerInvalidSourceError(
      itemIndex,
      'expected a RecordBatch, got bytes; to cut IPC stream bytes you already have into chunks, use chunkIpcStream (or chunkIpcStreamAsync)',
    );
  }
  throw new ChunkerInvalidSourceError(itemIndex, `expected a RecordBatch, got ${describeValue(item)}`);
}

function checkSourceObject(source: unknown): void {
  if (isLocalTable(source) || isLocalRecordBatch(source)) return;
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    throw new ChunkerInvalidSourceError(
      -1,
      'encodeChunks takes Arrow tables and record batches, not bytes; to cut IPC stream bytes you already have into chunks, use chunkIpcStream(bytes) (or chunkIpcStreamAsync for a stream of byte pieces)',
    );
  }
  if (isArrowTable(source)) throw foreignArrowError(source, 'Table', -1);
  if (isArrowRecordBatch(source)) throw foreignArrowError(source, 'RecordBatch', -1);
}

function isSyncIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' ? `an object of class ${name}` : 'an object';
}
