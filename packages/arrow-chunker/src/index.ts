export { assembleChunks } from './assemble-chunks.js';
export type { AssemblerOptions } from './chunk-assembler.js';
export { ChunkAssembler } from './chunk-assembler.js';
export type { ChunkIpcStreamOptions } from './chunk-ipc-stream.js';
export { chunkIpcStream, chunkIpcStreamAsync } from './chunk-ipc-stream.js';
export type { EncodeOptions } from './encode-chunks.js';
export { encodeChunks, encodeChunksAsync } from './encode-chunks.js';
export { ChunkerClosedError } from './errors/chunker-closed-error.js';
export { ChunkerConfigError } from './errors/chunker-config-error.js';
export type { ChunkerErrorCode, ChunkerErrorOptions } from './errors/chunker-error.js';
export { ChunkerError } from './errors/chunker-error.js';
export { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
export type {
  ChunkerInvalidSourceErrorOptions,
  ForeignArrowOrigin,
} from './errors/chunker-invalid-source-error.js';
export { ChunkerInvalidSourceError } from './errors/chunker-invalid-source-error.js';
export { ChunkerRowSchemaMismatchError } from './errors/chunker-row-schema-mismatch-error.js';
export type { ChunkerStreamLocation } from './errors/chunker-stream-location.js';
export { ChunkerStreamTooLargeError } from './errors/chunker-stream-too-large-error.js';
export { ChunkerTruncatedStreamError } from './errors/chunker-truncated-stream-error.js';
export { ChunkerUnsupportedTypeError } from './errors/chunker-unsupported-type-error.js';
export { ChunkerUnterminatedStreamError } from './errors/chunker-unterminated-stream-error.js';
export type { InferSchemaOptions } from './infer-arrow-schema.js';
export { inferArrowSchema } from './infer-arrow-schema.js';
export type { IpcChunk } from './ipc-chunk.js';
export {
  DEFAULT_MAX_CHUNK_BYTES,
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_MAX_STREAM_BYTES,
  MAX_NESTING_DEPTH_LIMIT,
} from './ipc-chunk.js';
export type { JsonSchema } from './json-schema-to-arrow-schema.js';
export { jsonSchemaToArrowSchema } from './json-schema-to-arrow-schema.js';
export type { ArrowRow } from './record-batch-to-rows.js';
export { recordBatchToRows, tableToRows } from './record-batch-to-rows.js';
export type { RecordBatcherOptions } from './record-batcher.js';
export { RecordBatcher } from './record-batcher.js';
export type { RowsToRecordBatchOptions } from './rows-to-record-batch.js';
export { rowsToRecordBatch } from './rows-to-record-batch.js';
