import {
  DataType,
  Field,
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
import { DEFAULT_MAX_NESTING_DEPTH } from '../ipc-chunk.js';
import { findBatchHeaderProblem } from './check-message-header.js';
import { type IpcMessageSpan, type IpcStreamMessages, walkIpcStream } from './ipc-stream-walker.js';
import { MessageBodyReader } from './message-body-reader.js';
import { PieceVectorLoader } from './piece-vector-loader.js';
import { StreamPieces } from './stream-pieces.js';
import { findDataProblem, findDecodedBatchProblem } from './validate-decoded-data.js';

/**
 * Decodes one complete IPC stream into a Table, reading each message body straight from the received
 * pieces: a column buffer that lies inside one piece (or inside back-to-back views of one buffer) and
 * starts 8-byte aligned becomes a view of it; any other buffer is copied once, on its own. So the
 * decoded vectors may be views of the pieces. Streams with compressed bodies are joined first and
 * read by Arrow's own reader (it decompresses them).
 *
 * Nothing is returned before every structural rule has been checked: the framing and metadata bounds
 * (walkIpcStream), the schema's nesting depth and dictionary ids, every batch header's raw lengths,
 * null counts and dictionaries (findBatchHeaderProblem), and every decoded column's buffers, offsets,
 * validity bitmaps, dictionary indices and union type ids (findDecodedBatchProblem). A breach is a
 * ChunkerInvalidIpcError at the offset of the message concerned.
 */
export function decodeIpcStream(
  stream: StreamPieces | Uint8Array,
  channel: string,
  streamNumber: number,
  maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH,
): Table {
  const pieces = stream instanceof StreamPieces ? stream : new StreamPieces([stream]);
  const messages = walkIpcStream(pieces, channel, streamNumber, maxNestingDepth);
  const at = (span: IpcMessageSpan | undefined): ChunkerStreamLocation => ({
    channel,
    streamNumber,
    byteOffset: span?.byteOffset ?? 0,
  });
  const batches: RecordBatch[] = [];
  let current: IpcMessageSpan | undefined = messages.schema;
  try {
    const schema = restoreEmptyFieldNames(messages.schema.message.header() as Schema);
    const schemaProblem = findSchemaProblem(schema);
    if (schemaProblem !== undefined)
      throw new ChunkerInvalidIpcError(at(current), `the schema: ${schemaProblem}`);
    const headers = checkHeaders(messages, schema, at);
    if (
      headers.some((header) =>
        isCompressed(header.kind === 'dictionary' ? header.header.data : header.header),
      )
    ) {
      return decodeWithArrowReader(pieces, channel, streamNumber, messages);
    }
    const dictionaries = new Map<number, Vector>();
    for (let index = 0; index < messages.batches.length; index += 1) {
      const span = messages.batches[index]!;
      const checked = headers[index]!;
      current = span;
      if (checked.kind === 'dictionary') {
        loadDictionary(span, checked.header, schema, dictionaries, pieces, at(span));
        continue;
      }
      const batchIndex = batches.length;
      batches.push(
        loadCheckedRecordBatch(span, checked.header, schema, dictionaries, pieces, at(span), batchIndex),
      );
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

type CheckedHeader =
  | { readonly kind: 'dictionary'; readonly header: DictionaryBatchHeader }
  | { readonly kind: 'record'; readonly header: RecordBatchHeader };

/**
 * Decodes every batch and dictionary header once and checks it against the schema in stream order,
 * before any body is read: a dictionary batch must name a dictionary of the schema, a delta must
 * follow a dictionary with its id, and a record batch may only use dictionaries that came before it.
 */
function checkHeaders(
  messages: IpcStreamMessages,
  schema: Schema,
  at: (span: IpcMessageSpan) => ChunkerStreamLocation,
): CheckedHeader[] {
  const arrived = new Set<number>();
  const hasDictionary = (id: number): boolean => arrived.has(id);
  const checked: CheckedHeader[] = [];
  let recordBatches = 0;
  for (const span of messages.batches) {
    if (span.message.isDictionaryBatch()) {
      const header = span.message.header() as DictionaryBatchHeader;
      const type = schema.dictionaries.get(header.id);
      if (type === undefined) {
        throw new ChunkerInvalidIpcError(
          at(span),
          `a dictionary batch has id ${header.id}, which no field of the schema uses`,
        );
      }
      if (header.isDelta && !arrived.has(header.id)) {
        throw new ChunkerInvalidIpcError(
          at(span),
          `a delta dictionary batch for id ${header.id} comes before any dictionary with that id`,
        );
      }
      const problem = findBatchHeaderProblem(
        header.data,
        [new Field(`dictionary ${header.id}`, type)],
        hasDictionary,
      );
      if (problem !== undefined) {
        throw new ChunkerInvalidIpcError(at(span), `dictionary batch (id ${header.id}): ${problem}`);
      }
      arrived.add(header.id);
      checked.push({ kind: 'dictionary', header });
      continue;
    }
    const header = span.message.header() as RecordBatchHeader;
    recordBatches += 1;
    const problem = findBatchHeaderProblem(header, schema.fields, hasDictionary);
    if (problem !== undefined) {
      throw new ChunkerInvalidIpcError(at(span), `record batch #${recordBatches}: ${problem}`);
    }
    checked.push({ kind: 'record', header });
  }
  return checked;
}

/**
 * Arrow JS writes no name for a field named '' and reads a missing name as null; Arrow C++ (pyarrow,
 * polars) reads a missing name as ''. Restores '' in place so that such a field keeps its name.
 */
function restoreEmptyFieldNames(schema: Schema): Schema {
  const visit = (fields: readonly Field[]): void => {
    for (const field of fields) {
      if ((field.name as string | null) === null) (field as { name: string }).name = '';
      visit(field.type.children ?? []);
    }
  };
  visit(schema.fields);
  return schema;
}

/**
 * Arrow keeps one type per dictionary id (the first field's); a field with the same id but another
 * value type would get a dictionary of the wrong type. Returns a description of the problem, or undefined.
 */
function findSchemaProblem(schema: Schema): string | undefined {
  const visit = (type: DataType, path: string): string | undefined => {
    if (DataType.isDictionary(type) && schema.dictionaries.get(type.id) !== type.dictionary) {
      return `field '${path}' uses dictionary id ${type.id}, which another field uses with another value type`;
    }
    for (const child of type.children ?? []) {
      const problem = visit(child.type, `${path}.${child.name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
  for (const field of schema.fields) {
    const problem = visit(field.type, field.name);
    if (problem !== undefined) return problem;
  }
  return undefined;
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
    if (findDecodedBatchProblem(batch, false) === undefined) return batch;
  } catch {
    // Loaded again below with whole buffers, which reports the problem if there is one.
  }
  const batch = loadRecordBatch(span, header, schema, dictionaries, reader, location, false);
  checkBatch(batch, batchIndex, location, false);
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
  // checkHeaders made sure the id is the schema's.
  const type = schema.dictionaries.get(header.id)!;
  const reader = new MessageBodyReader(pieces, span.bodyOffset, span.bodyBytes);
  const loader = bodyLoader(header.data, dictionaries, reader, location, schema, false);
  const [data] = loader.visitMany([type]);
  const problem = findDataProblem(data!, `dictionary ${header.id}`, false);
  if (problem !== undefined) {
    throw new ChunkerInvalidIpcError(
      location,
      `dictionary batch (id ${header.id}) does not match its metadata: ${problem}`,
    );
  }
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

function checkBatch(
  batch: RecordBatch,
  batchIndex: number,
  location: ChunkerStreamLocation,
  checkDictionaries: boolean,
): void {
  const problem = findDecodedBatchProblem(batch, checkDictionaries);
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
  restoreEmptyFieldNames(reader.schema);
  for (const batch of reader) {
    const span = recordBatchSpans[batches.length] ?? recordBatchSpans.at(-1);
    // Arrow's reader loaded the dictionaries unchecked: check them with each batch.
    checkBatch(batch, batches.length, { channel, streamNumber, byteOffset: span?.byteOffset ?? 0 }, true);
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
