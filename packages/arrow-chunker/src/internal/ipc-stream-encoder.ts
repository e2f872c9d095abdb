import { type RecordBatch, RecordBatchStreamWriter, type Schema, util } from 'apache-arrow';
import { ChunkerInvalidSourceError } from '../errors/chunker-invalid-source-error.js';
import type { IpcChunk } from '../ipc-chunk.js';
import { CollectingByteSink } from './collecting-byte-sink.js';
import {
  batchBytesUpperBound,
  END_OF_STREAM_BYTES,
  recordWrittenDictionaries,
  schemaMessageBytes,
  type WrittenDictionaries,
} from './encoded-size.js';

/** Limits of {@link IpcStreamEncoder}. */
export interface IpcStreamLimits {
  readonly maxChunkBytes: number;
  readonly maxBatchesPerStream: number;
  readonly maxStreamBytes: number;
}

/**
 * Turns a sequence of record batches into IPC stream chunks, one stream per run of equal schemas.
 * Bytes are handed out once at least `maxChunkBytes` are pending (or the stream ends), so a long
 * stream never sits in memory whole. The final drain of a stream always includes the end-of-stream
 * marker, so the `endOfChunk` chunk is never an empty message.
 *
 * No stream passes `maxStreamBytes` (what a receiver with the same limit accepts): before each batch
 * the encoder bounds the bytes it will add (its body exactly, its metadata and dictionaries from
 * above) and starts a new stream when they would not fit; a batch that does not fit even in a fresh
 * stream is split into row ranges (halves, recursively), each encoded as its own batch.
 */
export class IpcStreamEncoder {
  private readonly limits: IpcStreamLimits;
  private readonly sink = new CollectingByteSink();
  private writer: RecordBatchStreamWriter | null = null;
  private schema: Schema | null = null;
  private batchesInStream = 0;
  private streamStart = 0;
  private writtenDictionaries: WrittenDictionaries = new Map();
  private schemaBytesCache: { schema: Schema; bytes: number } | undefined;

  constructor(limits: IpcStreamLimits) {
    this.limits = limits;
  }

  /** Adds one batch; returns the chunks that became ready (possibly none). */
  add(batch: RecordBatch, itemIndex: number): IpcChunk[] {
    const chunks: IpcChunk[] = [];
    this.addWithin(batch, itemIndex, chunks);
    return chunks;
  }

  private addWithin(batch: RecordBatch, itemIndex: number, chunks: IpcChunk[]): void {
    if (
      this.writer !== null &&
      (this.batchesInStream >= this.limits.maxBatchesPerStream || !this.hasSameSchema(batch.schema))
    ) {
      this.finishStream(chunks);
    }
    if (
      this.writer !== null &&
      this.streamBytes() + this.measure(batch, itemIndex) + END_OF_STREAM_BYTES > this.limits.maxStreamBytes
    ) {
      this.finishStream(chunks);
    }
    if (this.writer === null) {
      const freshBytes =
        this.schemaBytes(batch.schema, itemIndex) + this.measure(batch, itemIndex, new Map());
      if (freshBytes + END_OF_STREAM_BYTES > this.limits.maxStreamBytes) {
        this.split(batch, itemIndex, freshBytes, chunks);
        return;
      }
      this.startStream(batch.schema);
    } else if (this.sink.byteLength >= this.limits.maxChunkBytes) {
      // Drain before writing, not after: the last batch's bytes then travel with the end-of-stream marker.
      this.drain(chunks, false);
    }
    this.batchesInStream += 1;
    try {
      this.writer!.write(batch);
    } catch (cause) {
      throw encodeError(itemIndex, cause);
    }
    recordWrittenDictionaries(batch, this.writtenDictionaries);
  }

  /** Encodes the two halves of a batch too large for one stream, each on its own (and so on). */
  private split(batch: RecordBatch, itemIndex: number, freshBytes: number, chunks: IpcChunk[]): void {
    if (batch.numRows <= 1) {
      throw new ChunkerInvalidSourceError(
        itemIndex,
        `${batch.numRows === 1 ? 'a single row' : 'a batch without rows'} encodes to up to ${freshBytes} bytes with its schema and dictionaries, more than maxStreamBytes (${this.limits.maxStreamBytes}); raise maxStreamBytes on both sides (EncodeOptions and the receiver's AssemblerOptions)`,
      );
    }
    const middle = Math.floor(batch.numRows / 2);
    this.addWithin(batch.slice(0, middle), itemIndex, chunks);
    this.addWithin(batch.slice(middle), itemIndex, chunks);
  }

  /** Upper bound of the bytes writing `batch` adds to the current stream (or to a fresh one). */
  private measure(batch: RecordBatch, itemIndex: number, written = this.writtenDictionaries): number {
    try {
      return batchBytesUpperBound(batch, written);
    } catch (cause) {
      throw encodeError(itemIndex, cause);
    }
  }

  private schemaBytes(schema: Schema, itemIndex: number): number {
    if (this.schemaBytesCache?.schema !== schema) {
      let bytes: number;
      try {
        bytes = schemaMessageBytes(schema);
      } catch (cause) {
        throw encodeError(itemIndex, cause);
      }
      this.schemaBytesCache = { schema, bytes };
    }
    return this.schemaBytesCache.bytes;
  }

  private streamBytes(): number {
    return this.sink.totalBytes - this.streamStart;
  }

  /** Starts a stream holding only `schema` (used for tables without batches). */
  addSchemaOnly(schema: Schema): IpcChunk[] {
    const chunks: IpcChunk[] = [];
    if (this.writer !== null) this.finishStream(chunks);
    const bytes = this.schemaBytes(schema, -1);
    if (bytes + END_OF_STREAM_BYTES > this.limits.maxStreamBytes) {
      throw new ChunkerInvalidSourceError(
        -1,
        `the schema alone encodes to ${bytes} bytes, more than maxStreamBytes (${this.limits.maxStreamBytes}); raise maxStreamBytes on both sides`,
      );
    }
    this.startStream(schema);
    // Arrow writes the schema message when it first sees a schema; an empty table carries one.
    this.writer!.reset(this.sink, schema);
    return chunks;
  }

  /** Ends the current stream, if any; returns its remaining chunks, the last one with `endOfChunk`. */
  end(): IpcChunk[] {
    const chunks: IpcChunk[] = [];
    if (this.writer !== null) this.finishStream(chunks);
    return chunks;
  }

  private hasSameSchema(schema: Schema): boolean {
    return schema === this.schema || util.compareSchemas(schema, this.schema as Schema);
  }

  private startStream(schema: Schema): void {
    // autoDestroy:false so that Arrow never silently closes the writer (and drops a batch) on a
    // schema difference we did not see; one writer per stream keeps its dictionary state per stream.
    const writer = new RecordBatchStreamWriter({ autoDestroy: false });
    writer.reset(this.sink);
    this.writer = writer;
    this.schema = schema;
    this.batchesInStream = 0;
    this.streamStart = this.sink.totalBytes;
    this.writtenDictionaries = new Map();
  }

  private finishStream(chunks: IpcChunk[]): void {
    // close() writes the end-of-stream marker into the sink before closing it.
    this.writer!.close();
    this.writer = null;
    this.schema = null;
    this.drain(chunks, true);
  }

  private drain(chunks: IpcChunk[], endsStream: boolean): void {
    const pieces = this.sink.takePieces(this.limits.maxChunkBytes);
    for (let index = 0; index < pieces.length; index += 1) {
      chunks.push({ data: pieces[index]!, endOfChunk: endsStream && index === pieces.length - 1 });
    }
  }
}

function encodeError(itemIndex: number, cause: unknown): ChunkerInvalidSourceError {
  return new ChunkerInvalidSourceError(
    itemIndex,
    `Arrow could not encode this batch: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}
