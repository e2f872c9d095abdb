import { MessageHeader, type RecordBatch, RecordBatchStreamReader, Table } from 'apache-arrow';
import { ChunkerError } from '../errors/chunker-error.js';
import { ChunkerInvalidIpcError } from '../errors/chunker-invalid-ipc-error.js';
import { type IpcMessageSpan, walkIpcStream } from './ipc-stream-walker.js';
import { findDecodedBatchProblem } from './validate-decoded-data.js';

/**
 * Decodes one complete IPC stream into a Table. `bytes` should start at an 8-byte aligned offset:
 * Arrow then keeps vectors as views of it instead of copying each message body.
 */
export function decodeIpcStream(bytes: Uint8Array, channel: string, streamNumber: number): Table {
  const spans = walkIpcStream(bytes, channel, streamNumber);
  const batches: RecordBatch[] = [];
  try {
    const reader = RecordBatchStreamReader.from(bytes) as RecordBatchStreamReader;
    reader.open();
    for (const batch of reader) {
      const problem = findDecodedBatchProblem(batch);
      if (problem !== undefined) {
        throw new ChunkerInvalidIpcError(
          { channel, streamNumber, byteOffset: recordBatchOffset(spans, batches.length) },
          `record batch #${batches.length + 1} does not match its metadata: ${problem}`,
        );
      }
      batches.push(batch);
    }
    // Table checks that every batch matches the schema, which corrupted dictionary ids can break.
    return batches.length > 0 ? new Table(batches) : new Table(reader.schema);
  } catch (cause) {
    if (ChunkerError.isInstance(cause)) throw cause;
    throw new ChunkerInvalidIpcError(
      { channel, streamNumber, byteOffset: recordBatchOffset(spans, batches.length) },
      `Arrow could not decode record batch #${batches.length + 1}: ${describeCause(cause)}`,
      { cause },
    );
  }
}

/** Offset of the record batch Arrow was reading (the last one, or 0 for the schema, if out of range). */
function recordBatchOffset(spans: IpcMessageSpan[], batchIndex: number): number {
  const recordBatchSpans = spans.filter((span) => span.headerType === MessageHeader.RecordBatch);
  const span = recordBatchSpans[batchIndex] ?? recordBatchSpans[recordBatchSpans.length - 1];
  return span?.byteOffset ?? 0;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
