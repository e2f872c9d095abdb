import { type Data, Message, type RecordBatch, type Schema, Vector } from 'apache-arrow';
import { VectorAssembler } from 'apache-arrow/visitor/vectorassembler';

/** Bytes of the end-of-stream marker (continuation marker and a zero length). */
export const END_OF_STREAM_BYTES = 8;

/**
 * Flatbuffer metadata of a record batch or dictionary message is at most this many bytes plus 16 per
 * field node and per buffer (each is a 16-byte struct) plus its custom metadata: the fixed tables,
 * vtables, the prefix and the padding Arrow's writer adds take far less.
 */
const MESSAGE_OVERHEAD_BYTES = 256;
const PER_NODE_OR_BUFFER_BYTES = 16;
const PER_METADATA_ENTRY_BYTES = 32;

/** Exact framed size of the schema message Arrow's stream writer writes first (prefix, metadata, padding). */
export function schemaMessageBytes(schema: Schema): number {
  return alignedMessageBytes(Message.encode(Message.from(schema)).byteLength);
}

/** Dictionaries a stream writer has written so far: per id, the first chunk and how many chunks. */
export type WrittenDictionaries = Map<
  number,
  { readonly firstChunk: Data | undefined; readonly chunks: number }
>;

/**
 * Upper bound of the bytes Arrow's stream writer adds to a stream for `batch`: the record batch message
 * (its body exactly, as Arrow's own assembler lays it out, and a bound of its metadata), plus the
 * dictionary messages the writer emits first, following the writer's rule: a whole dictionary when it
 * is new to the stream or was replaced, only the new chunks (deltas) when it grew.
 */
export function batchBytesUpperBound(batch: RecordBatch, written: WrittenDictionaries): number {
  let total = messageBytesUpperBound(VectorAssembler.assemble(batch), batch.metadata);
  for (const [id, dictionary] of batch.dictionaries) {
    const chunks = dictionary?.data ?? [];
    const previous = written.get(id);
    const from = previous === undefined || previous.firstChunk !== chunks[0] ? 0 : previous.chunks;
    for (const chunk of chunks.slice(from)) {
      total += messageBytesUpperBound(VectorAssembler.assemble(new Vector([chunk])), undefined);
    }
  }
  return total;
}

/** What the writer records after writing `batch` (the same bookkeeping as its own). */
export function recordWrittenDictionaries(batch: RecordBatch, written: WrittenDictionaries): void {
  for (const [id, dictionary] of batch.dictionaries) {
    const chunks = dictionary?.data ?? [];
    written.set(id, { firstChunk: chunks[0], chunks: chunks.length });
  }
}

function messageBytesUpperBound(
  assembled: VectorAssembler,
  metadata: Map<string, string> | undefined,
): number {
  let metadataBytes = 0;
  for (const [key, value] of metadata ?? []) {
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(value) + PER_METADATA_ENTRY_BYTES;
  }
  const entries = assembled.nodes.length + assembled.bufferRegions.length;
  return MESSAGE_OVERHEAD_BYTES + PER_NODE_OR_BUFFER_BYTES * entries + metadataBytes + assembled.byteLength;
}

/** Continuation marker, length, metadata and padding to a multiple of 8, as Arrow's writer frames it. */
function alignedMessageBytes(metadataBytes: number): number {
  return (metadataBytes + 8 + 7) & ~7;
}
