import { type RecordBatch, RecordBatchStreamWriter, type Schema, util } from 'apache-arrow';
import { ChunkerInvalidSourceError } from '../errors/chunker-invalid-source-error.js';
import type { IpcChunk } from '../ipc-chunk.js';
import { CollectingByteSink } from './collecting-byte-sink.js';

/**
 * Turns a sequence of record batches into IPC stream chunks, one stream per run of equal schemas.
 * Bytes are handed out once at least `maxChunkBytes` are pending (or the stream ends), so a long
 * stream never sits in memory whole. The final drain of a stream always includes the end-of-stream
 * marker, so the `endOfChunk` chunk is never an empty message.
 */
export class IpcStreamEncoder {
  private readonly maxChunkBytes: number;
  private readonly maxBatchesPerStream: number;
  private readonly sink = new CollectingByteSink();
  private writer: RecordBatchStreamWriter | null = null;
  private schema: Schema | null = null;
  private batchesInStream = 0;

  constructor(maxChunkBytes: number, maxBatchesPerStream = Number.POSITIVE_INFINITY) {
    this.maxChunkBytes = maxChunkBytes;
    this.maxBatchesPerStream = maxBatchesPerStream;
  }

  /** Adds one batch; returns the chunks that became ready (possibly none). */
  add(batch: RecordBatch, itemIndex: number): IpcChunk[] {
    const chunks: IpcChunk[] = [];
    if (
      this.writer !== null &&
      (this.batchesInStream >= this.maxBatchesPerStream || !this.hasSameSchema(batch.schema))
    ) {
      this.finishStream(chunks);
    }
    if (this.writer === null) {
      this.startStream(batch.schema);
    } else if (this.sink.byteLength >= this.maxChunkBytes) {
      // Drain before writing, not after: the last batch's bytes then travel with the end-of-stream marker.
      this.drain(chunks, false);
    }
    this.batchesInStream += 1;
    try {
      this.writer!.write(batch);
    } catch (cause) {
      throw new ChunkerInvalidSourceError(
        itemIndex,
        `Arrow could not encode this batch: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    return chunks;
  }

  /** Starts a stream holding only `schema` (used for tables without batches). */
  addSchemaOnly(schema: Schema): IpcChunk[] {
    const chunks: IpcChunk[] = [];
    if (this.writer !== null) this.finishStream(chunks);
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
  }

  private finishStream(chunks: IpcChunk[]): void {
    // close() writes the end-of-stream marker into the sink before closing it.
    this.writer!.close();
    this.writer = null;
    this.schema = null;
    this.drain(chunks, true);
  }

  private drain(chunks: IpcChunk[], endsStream: boolean): void {
    const pieces = this.sink.takePieces(this.maxChunkBytes);
    for (let index = 0; index < pieces.length; index += 1) {
      chunks.push({ data: pieces[index]!, endOfChunk: endsStream && index === pieces.length - 1 });
    }
  }
}
