import { DataType, type Dictionary, type MetadataVersion, type Vector } from 'apache-arrow';
import type { BufferRegion, FieldNode } from 'apache-arrow/ipc/metadata/message';
import { VectorLoader } from 'apache-arrow/visitor/vectorloader';
import type { MessageBodyReader } from './message-body-reader.js';

/** The body of one message, and how to read and report its buffers. */
export interface MessageBody {
  readonly reader: MessageBodyReader;
  /** Builds the error thrown for a buffer whose region is missing or outside the body. */
  readonly badBuffer: (bufferIndex: number, problem: string) => Error;
  /**
   * Accept a view without the buffer's trailing zero padding when only that padding lies in another
   * piece (see StreamPieces.readWithoutPadding). Only for record batches whose decoded data
   * is then checked, since it assumes the trailing zeros are padding.
   */
  readonly trimPadding: boolean;
}

const EMPTY_BODY = new Uint8Array(0);

/**
 * Arrow's vector loader, reading each buffer of a message body straight from the received pieces
 * instead of from one joined body. `readData` is the hook Arrow's own loaders (JSON, compressed)
 * override; every buffer read (validity, offsets, type ids, values, variadic buffers) goes through it.
 * A buffer inside one piece, or inside back-to-back views of one buffer, is used as a view when it is
 * 8-byte aligned; any other buffer is copied on its own (see MessageBodyReader).
 */
export class PieceVectorLoader extends VectorLoader {
  private readonly body: MessageBody;
  private readonly knownDictionaries: Map<number, Vector>;

  constructor(
    body: MessageBody,
    nodes: FieldNode[],
    buffers: BufferRegion[],
    dictionaries: Map<number, Vector>,
    metadataVersion: MetadataVersion,
    variadicBufferCounts: number[],
  ) {
    super(EMPTY_BODY, nodes, buffers, dictionaries, metadataVersion, variadicBufferCounts);
    this.body = body;
    this.knownDictionaries = dictionaries;
  }

  protected override readData<T extends DataType>(
    type: T,
    region: BufferRegion | undefined = this.nextBufferRange(),
  ): Uint8Array {
    // Whether the region was passed in or taken here, `buffersIndex` is its index by now.
    const bufferIndex = this.buffersIndex;
    if (region === undefined) {
      throw this.body.badBuffer(bufferIndex, 'the metadata lists fewer buffers than the schema needs');
    }
    const { offset, length } = region;
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.body.reader.bodyBytes
    ) {
      throw this.body.badBuffer(
        bufferIndex,
        `bytes ${offset}..${offset + length} lie outside the ${this.body.reader.bodyBytes}-byte body`,
      );
    }
    return this.body.reader.read(offset, length, this.body.trimPadding && isFullyCheckedType(type));
  }

  // Arrow's loader would leave the column without a dictionary (all values read as null).
  protected override readDictionary<T extends Dictionary>(type: T): Vector<T['dictionary']> {
    const dictionary = this.knownDictionaries.get(type.id);
    if (dictionary === undefined) {
      throw this.body.badBuffer(
        this.buffersIndex,
        `a column uses dictionary id ${type.id}, but no dictionary batch with that id came before it`,
      );
    }
    return dictionary as Vector<T['dictionary']>;
  }
}

/**
 * Union buffers, view-type buffers and variadic buffers (read with a null type) are not fully checked
 * after decoding, so they never lose their padding.
 */
function isFullyCheckedType(type: DataType | null): boolean {
  return (
    type !== null && !DataType.isUnion(type) && !DataType.isUtf8View(type) && !DataType.isBinaryView(type)
  );
}
