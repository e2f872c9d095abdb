import { Message, MessageHeader } from 'apache-arrow';
import { ChunkerInvalidIpcError } from '../errors/chunker-invalid-ipc-error.js';
import type { ChunkerStreamLocation } from '../errors/chunker-stream-location.js';
import { ChunkerTruncatedStreamError } from '../errors/chunker-truncated-stream-error.js';
import { DEFAULT_MAX_NESTING_DEPTH } from '../ipc-chunk.js';
import { guardMessageMetadata, NestingTooDeepError } from './flatbuffer-guard.js';
import { StreamPieces } from './stream-pieces.js';

const CONTINUATION_MARKER = -1;

/** Position of one message inside a stream, with its decoded metadata. */
export interface IpcMessageSpan {
  readonly headerType: MessageHeader;
  /** Offset of the message's prefix (continuation marker or length) in the stream. */
  readonly byteOffset: number;
  /** The message's metadata, decoded once here and reused to load its body. */
  readonly message: Message;
  /** Offset of the message's body in the stream. */
  readonly bodyOffset: number;
  /** Length of the body in bytes (checked to lie within the stream). */
  readonly bodyBytes: number;
}

/** The messages of one stream: its schema message, then its record batch and dictionary messages. */
export interface IpcStreamMessages {
  readonly schema: IpcMessageSpan;
  readonly batches: IpcMessageSpan[];
}

/**
 * Checks the framing of one complete IPC stream before its bodies are read. Arrow's reader silently
 * returns fewer batches for a stream cut at a message boundary and reports garbage without any
 * position, so this walk is what turns both into typed errors that say where the stream broke.
 * It reads only message prefixes and metadata, never bodies, and decodes each message's metadata
 * once for the loader.
 */
export function walkIpcStream(
  stream: StreamPieces | Uint8Array,
  channel: string,
  streamNumber: number,
  maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH,
): IpcStreamMessages {
  const at = (byteOffset: number): ChunkerStreamLocation => ({ channel, streamNumber, byteOffset });
  const pieces = stream instanceof StreamPieces ? stream : new StreamPieces([stream]);
  const total = pieces.byteLength;
  let schema: IpcMessageSpan | undefined;
  const spans: IpcMessageSpan[] = [];
  if (total === 0) {
    throw new ChunkerInvalidIpcError(
      at(0),
      'the stream is empty (0 bytes); an IPC stream starts with a schema',
    );
  }
  let position = 0;
  let messageIndex = 0;
  for (;;) {
    if (position + 4 > total) {
      throw new ChunkerTruncatedStreamError(
        at(position),
        position === total
          ? `the stream ends after ${messageIndex} message(s) without the end-of-stream marker`
          : `the stream ends inside the prefix of message #${messageIndex + 1}`,
      );
    }
    const first = pieces.readInt32(position);
    const hasContinuation = first === CONTINUATION_MARKER;
    const prefixBytes = hasContinuation ? 8 : 4;
    if (hasContinuation && position + 8 > total) {
      throw new ChunkerTruncatedStreamError(
        at(position),
        `the stream ends inside the prefix of message #${messageIndex + 1}`,
      );
    }
    const metadataBytes = hasContinuation ? pieces.readInt32(position + 4) : first;
    if (metadataBytes === 0) {
      const end = position + prefixBytes;
      if (end !== total) {
        throw new ChunkerInvalidIpcError(
          at(end),
          `${total - end} byte(s) follow the end-of-stream marker; one chunked stream must hold exactly one IPC stream`,
        );
      }
      if (schema === undefined) {
        throw new ChunkerInvalidIpcError(at(position), 'the stream ends before its schema message');
      }
      return { schema, batches: spans };
    }
    const metadataStart = position + prefixBytes;
    // A legacy (pre-0.15, no continuation marker) length that overruns the first message is far more
    // likely garbage than a truncated legacy stream.
    if (
      metadataBytes < 0 ||
      (!hasContinuation && messageIndex === 0 && metadataStart + metadataBytes > total)
    ) {
      throw new ChunkerInvalidIpcError(
        at(position),
        messageIndex === 0
          ? 'the bytes do not start with an Arrow IPC message (expected the continuation marker 0xFFFFFFFF)'
          : `message #${messageIndex + 1} has an invalid metadata length ${metadataBytes}`,
      );
    }
    if (metadataStart + metadataBytes > total) {
      throw new ChunkerTruncatedStreamError(
        at(position),
        `message #${messageIndex + 1} declares ${metadataBytes} metadata bytes but only ${total - metadataStart} remain`,
      );
    }
    const message = decodeMessageMetadata(
      pieces.read(metadataStart, metadataBytes, false),
      messageIndex,
      maxNestingDepth,
      at(position),
    );
    const headerType = message.headerType;
    checkHeaderType(headerType, messageIndex, at(position));
    const bodyBytes = message.bodyLength;
    const bodyStart = metadataStart + metadataBytes;
    if (bodyStart + bodyBytes > total) {
      throw new ChunkerTruncatedStreamError(
        at(position),
        `message #${messageIndex + 1} (${MessageHeader[headerType]}) needs ${bodyBytes} body bytes but only ${total - bodyStart} remain`,
      );
    }
    const span: IpcMessageSpan = {
      headerType,
      byteOffset: position,
      message,
      bodyOffset: bodyStart,
      bodyBytes,
    };
    if (headerType === MessageHeader.Schema) schema = span;
    else spans.push(span);
    position = bodyStart + bodyBytes;
    messageIndex += 1;
  }
}

/**
 * Decodes one message's flatbuffer metadata after the bounds guard, with a checked body length. Shared
 * by the decoder's walk and by the byte chunker, which frames streams without decoding bodies.
 */
export function decodeMessageMetadata(
  metadata: Uint8Array,
  messageIndex: number,
  maxNestingDepth: number,
  location: ChunkerStreamLocation,
): Message {
  let message: Message;
  try {
    guardMessageMetadata(metadata, maxNestingDepth);
    message = Message.decode(metadata);
  } catch (cause) {
    if (cause instanceof NestingTooDeepError) {
      throw new ChunkerInvalidIpcError(
        location,
        `message #${messageIndex + 1}: a schema field nests types more than maxNestingDepth (${maxNestingDepth}) levels deep; raise maxNestingDepth if such data is expected`,
      );
    }
    throw new ChunkerInvalidIpcError(location, `message #${messageIndex + 1} has unreadable metadata`, {
      cause,
    });
  }
  const bodyBytes = Number(message.bodyLength);
  if (!Number.isSafeInteger(bodyBytes) || bodyBytes < 0) {
    throw new ChunkerInvalidIpcError(
      location,
      `message #${messageIndex + 1} declares an invalid body length ${String(message.bodyLength)}`,
    );
  }
  return message;
}

export function checkHeaderType(
  headerType: MessageHeader,
  messageIndex: number,
  location: ChunkerStreamLocation,
): void {
  if (messageIndex === 0) {
    if (headerType !== MessageHeader.Schema) {
      throw new ChunkerInvalidIpcError(
        location,
        `the first message must be a Schema, found ${MessageHeader[headerType] ?? `header type ${headerType}`}`,
      );
    }
    return;
  }
  if (headerType !== MessageHeader.RecordBatch && headerType !== MessageHeader.DictionaryBatch) {
    throw new ChunkerInvalidIpcError(
      location,
      `message #${messageIndex + 1} is a ${MessageHeader[headerType] ?? `header type ${headerType}`}; expected a RecordBatch or DictionaryBatch`,
    );
  }
}
