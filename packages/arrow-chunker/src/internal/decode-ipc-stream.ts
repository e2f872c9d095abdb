import {
  makeData,
  RecordBatch,
  RecordBatchStreamReader,
  type Schema,
  Struct,
  Table,
  Vector,
} from 'apache-arrow';
import type {
  DictionaryBatch as DictionaryBatchHeader,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';
import { ChunkerError } from '../errors/chunker-error.js';
import { ChunkerInvalidIpcError } from '../errors/chunker-invalid-ipc-error.js';
import type { ChunkerStreamLocation } from '../errors/chunker-stream-location.js';
import { type IpcMessageSpan, type IpcStreamMessages, walkIpcStream } from './ipc-stream-walker.js';
import { MessageBodyReader } from './message-body-reader.js';
import { PieceVectorLoader } from './piece-vector-loader.js';
import { StreamPieces } from './stream-pieces.js';
import { findDecodedBatchProblem } from './validate-decoded-data.js';

/**
 * Decodes one complete IPC stream into a Table, reading each message body straight from the received
 * pieces: a column buffer that lies inside one piece (or inside back-to-back views of one buffer) and
 * starts 8-byte aligned becomes a view of it; any other buffer is copied once, on its own. So the
 * decoded vectors may be views of the pieces. Streams with compressed bodies are joined first and
 * read by Arrow's own reader (it decompresses them).
 */
export function decodeIpcStream(
  stream: StreamPieces | Uint8Array,
  channel: string,
  streamNumber: number,
): Table {
  const pieces = stream instanceof StreamPieces ? stream : new StreamPieces([stream]);
  const messages = walkIpcStream(pieces, channel, streamNumber);
  const at = (span: IpcMessageSpan | undefined): ChunkerStreamLocation => ({
    channel,
    streamNumber,
    byteOffset: span?.byteOffset ?? 0,
  });
  const batches: RecordBatch[] = [];
  let current: IpcMessageSpan | undefined = messages.schema;
  try {
    const schema = messages.schema.message.header() as Schema;
    const dictionaries = new Map<number, Vector>();
    for (const span of messages.batches) {
      current = span;
      if (span.message.isDictionaryBatch()) {
        const header = span.message.header() as DictionaryBatchHeader;
        if (isCompressed(header.data)) return decodeWithArrowReader(pieces, channel, streamNumber, messages);
        loadDictionary(span, header, schema, dictionaries, pieces, at(span));
        continue;
      }
      const header = span.message.header() as RecordBatchHeader;
      if (isCompressed(header)) return decodeWithArrowReader(pieces, channel, streamNumber, messages);
      const batchIndex = batches.length;
      batches.push(loadCheckedRecordBatch(span, header, schema, dictionaries, pieces, at(span), batchIndex));
    }
    // Table checks that every batch matches the schema, which corrupted dictionary ids can break.
    return batches.length > 0 ? new Table(batches) : new Table(schema);
  } catch (cause) {
    if (ChunkerError.isInstance(cause)) throw cause;
    throw new ChunkerInvalidIpcError(
      at(current),
      `Arrow could not decode ${describeMessage(current, batches.length)}: ${describeCause(cause)}`,
      { cause },
    );
  }
}

/**
 * Loads a record batch without the zero padding of buffers whose padding alone sits in another piece
 * (see StreamPieces.readWithoutPadding); if those zeros were data after all, the check finds values
 * missing, and the batch is loaded again with every buffer whole.
 */
function loadCheckedRecordBatch(
  span: IpcMessageSpan,
  header: RecordBatchHeader,
  schema: Schema,
  dictionaries: Map<number, Vector>,
  pieces: StreamPieces,
  location: ChunkerStreamLocation,
  batchIndex: number,
): RecordBatch {
  // One reader for both attempts: buffers copied in the first are not copied again.
  const reader = new MessageBodyReader(pieces, span.bodyOffset, span.bodyBytes);
  try {
    const batch = loadRecordBatch(span, header, schema, dictionaries, reader, location, true);
    if (findDecodedBatchProblem(batch) === undefined) return batch;
  } catch {
    // Loaded again below with whole buffers, which reports the problem if there is one.
  }
  const batch = loadRecordBatch(span, header, schema, dictionaries, reader, location, false);
  checkBatch(batch, batchIndex, location);
  return batch;
}

function loadRecordBatch(
  span: IpcMessageSpan,
  header: RecordBatchHeader,
  schema: Schema,
  dictionaries: Map<number, Vector>,
  reader: MessageBodyReader,
  location: ChunkerStreamLocation,
  trimPadding: boolean,
): RecordBatch {
  const loader = bodyLoader(header, dictionaries, reader, location, schema, trimPadding);
  const children = loader.visitMany(schema.fields);
  const data = makeData({ type: new Struct(schema.fields), length: header.length, children });
  return new RecordBatch(schema, data, span.message.metadata);
}

function loadDictionary(
  span: IpcMessageSpan,
  header: DictionaryBatchHeader,
  schema: Schema,
  dictionaries: Map<number, Vector>,
  pieces: StreamPieces,
  location: ChunkerStreamLocation,
): void {
  const type = schema.dictionaries.get(header.id);
  if (type === undefined) {
    throw new ChunkerInvalidIpcError(
      location,
      `a dictionary batch has id ${header.id}, which no field of the schema uses`,
    );
  }
  const reader = new MessageBodyReader(pieces, span.bodyOffset, span.bodyBytes);
  const loader = bodyLoader(header.data, dictionaries, reader, location, schema, false);
  const [data] = loader.visitMany([type]);
  const loaded = new Vector([data!]);
  // Same rule as Arrow's reader: a delta extends the dictionary, otherwise it replaces it.
  const previous = dictionaries.get(header.id);
  dictionaries.set(
    header.id,
    (header.isDelta && previous !== undefined ? previous.concat(loaded) : loaded).memoize(),
  );
}

function bodyLoader(
  header: RecordBatchHeader,
  dictionaries: Map<number, Vector>,
  reader: MessageBodyReader,
  location: ChunkerStreamLocation,
  schema: Schema,
  trimPadding: boolean,
): PieceVectorLoader {
  const body = {
    reader,
    trimPadding,
    badBuffer: (bufferIndex: number, problem: string) =>
      new ChunkerInvalidIpcError(location, `buffer #${bufferIndex + 1} of this message: ${problem}`),
  };
  return new PieceVectorLoader(
    body,
    header.nodes,
    header.buffers,
    dictionaries,
    schema.metadataVersion,
    header.variadicBufferCounts,
  );
}

function checkBatch(batch: RecordBatch, batchIndex: number, location: ChunkerStreamLocation): void {
  const problem = findDecodedBatchProblem(batch);
  if (problem !== undefined) {
    throw new ChunkerInvalidIpcError(
      location,
      `record batch #${batchIndex + 1} does not match its metadata: ${problem}`,
    );
  }
}

function isCompressed(header: RecordBatchHeader): boolean {
  return header.compression !== null && header.compression !== undefined;
}

/**
 * Compressed bodies need Arrow's decompression: join the stream (one copy at most) and let Arrow read
 * it from the start (what was decoded before the first compressed message is dropped).
 */
function decodeWithArrowReader(
  pieces: StreamPieces,
  channel: string,
  streamNumber: number,
  messages: IpcStreamMessages,
): Table {
  const recordBatchSpans = messages.batches.filter((span) => span.message.isRecordBatch());
  const batches: RecordBatch[] = [];
  const reader = RecordBatchStreamReader.from(
    pieces.read(0, pieces.byteLength, true),
  ) as RecordBatchStreamReader;
  reader.open();
  for (const batch of reader) {
    const span = recordBatchSpans[batches.length] ?? recordBatchSpans.at(-1);
    checkBatch(batch, batches.length, { channel, streamNumber, byteOffset: span?.byteOffset ?? 0 });
    batches.push(batch);
  }
  return batches.length > 0 ? new Table(batches) : new Table(reader.schema);
}

function describeMessage(span: IpcMessageSpan | undefined, batchesDecoded: number): string {
  if (span === undefined || span.message.isSchema()) return 'the schema';
  if (span.message.isDictionaryBatch()) return 'a dictionary batch';
  return `record batch #${batchesDecoded + 1}`;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
