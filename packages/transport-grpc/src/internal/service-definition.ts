// The generated codec is CommonJS in both builds (`module.exports = root`, no `__esModule`), so both
// read it through the default import: one codec, whichever module system loaded this file.

import type { TsProtoServiceDefinition } from 'nice-grpc';
import type { CallContext } from 'nice-grpc-common';
import type { sdk } from '../gen/sdk.js';
import generated from '../gen/sdk.js';
import type { EncodedParts } from './http2/encoded-parts.js';
import { joinedBytes, type ReceivedMessage } from './http2/grpc-framing.js';
import {
  decodeRecordsPieceParts,
  encodeRecordsPiece,
  encodeRecordsPieceParts,
  type RecordsPiece,
} from './records-codec.js';

const sdkCodec = generated.sdk;

/** Engine-to-plugin Control message, as decoded by the generated codec. */
export type ControlInMessage = sdk.ControlIn.$Properties;
/** Plugin-to-engine Control message. */
export type ControlOutMessage = sdk.ControlOut.$Properties;
/**
 * Engine-to-plugin RecordTransfer message. `onWritten`, when set, is called once the message's bytes
 * are no longer needed: written to the socket by the `http2` carrier (which writes a records piece's
 * data without copying it), or copied into gRPC's message by grpc-js. Decoded messages never carry it.
 */
export type RecordTransferInMessage = sdk.RecordTransferIn.$Properties & { readonly onWritten?: () => void };
/** Plugin-to-engine RecordTransfer message; `onWritten` as in {@link RecordTransferInMessage}. */
export type RecordTransferOutMessage = sdk.RecordTransferOut.$Properties & {
  readonly onWritten?: () => void;
};

/**
 * A RecordTransferIn records piece. `data` is not copied here: keep it unchanged until `onWritten` is
 * called (the senders await it for the last piece of a table, so a table may be reused as soon as
 * `send` resolves).
 */
export function incomingRecordsMessage(piece: RecordsPiece, onWritten?: () => void): RecordTransferInMessage {
  return onWritten === undefined ? { incomingRecords: piece } : { incomingRecords: piece, onWritten };
}

/** RecordTransferOut counterpart of {@link incomingRecordsMessage}. */
export function outgoingRecordsMessage(
  piece: RecordsPiece,
  onWritten?: () => void,
): RecordTransferOutMessage {
  return onWritten === undefined ? { outgoingRecords: piece } : { outgoingRecords: piece, onWritten };
}

/** The records piece of a RecordTransfer message that carries nothing else, if it is one. */
function recordsPieceOf(
  message: RecordTransferInMessage | RecordTransferOutMessage,
): { outerField: 1 | 2; piece: RecordsPiece } | undefined {
  if ('incomingRecords' in message && message.incomingRecords) {
    const other = message as RecordTransferInMessage;
    return other.recordRequest || other.incomingConnectionComplete
      ? undefined
      : { outerField: 1, piece: message.incomingRecords };
  }
  if ('outgoingRecords' in message && message.outgoingRecords) {
    const other = message as RecordTransferOutMessage;
    return other.wantRecords || other.closeOutgoingAnchor
      ? undefined
      : { outerField: 2, piece: message.outgoingRecords };
  }
  return undefined;
}

/**
 * grpc-js serialization of RecordTransfer messages: a records piece is copied once into its message
 * (after which its data is no longer needed, so `onWritten` runs), everything else goes through the
 * generated codec.
 */
function serializeRecordTransfer<Message extends RecordTransferInMessage | RecordTransferOutMessage>(
  encodeOther: (message: Message) => Uint8Array,
): (message: Message) => Uint8Array {
  return (message) => {
    const records = recordsPieceOf(message);
    const bytes =
      records === undefined ? encodeOther(message) : encodeRecordsPiece(records.outerField, records.piece);
    message.onWritten?.();
    return bytes;
  };
}

/** `http2` carrier serialization of RecordTransfer messages: a records piece's data is not copied. */
function partsOfRecordTransfer<Message extends RecordTransferInMessage | RecordTransferOutMessage>(
  encodeOther: (message: Message) => Uint8Array,
): (message: Message) => EncodedParts {
  return (message) => {
    const records = recordsPieceOf(message);
    const parts =
      records === undefined
        ? [encodeOther(message)]
        : encodeRecordsPieceParts(records.outerField, records.piece);
    return message.onWritten === undefined ? { parts } : { parts, onWritten: message.onWritten };
  };
}

/**
 * A message type in the shape nice-grpc accepts from ts-proto (`encode(...).finish()`, `decode`).
 * That shape matters: nice-grpc copies every received message (`Buffer.from`) before decoding it when
 * given grpc-js style `path`/`...Deserialize` definitions, but decodes gRPC's buffer directly in this one.
 * Decoded `bytes` fields are views of gRPC's message buffer. `encodeParts`, which nice-grpc ignores, is
 * how the `http2` carrier serializes (see {@link EncodedParts}).
 */
function messageType<Message>(
  encode: (message: Message) => Uint8Array,
  decode: (bytes: Uint8Array) => Message,
  encodeParts: (message: Message) => EncodedParts = (message) => ({ parts: [encode(message)] }),
  decodeParts: (message: ReceivedMessage) => Message = (message) => decode(joinedBytes(message)),
): {
  encode(message: Message): { finish(): Uint8Array };
  decode(bytes: Uint8Array): Message;
  encodeParts(message: Message): EncodedParts;
  decodeParts(message: ReceivedMessage): Message;
} {
  return { encode: (message) => ({ finish: () => encode(message) }), decode, encodeParts, decodeParts };
}

/** Marks a request that did not decode (see {@link leniently}). */
const undecodableKey = Symbol('undecodable request');

/**
 * Why a request message did not decode, if it did not. grpc-js ends a call whose request does not
 * decode with its own INTERNAL status, and the plugin's handler only sees a cancelled call; decoding
 * requests leniently lets the plugin refuse the message itself, in band and with a status that says so.
 */
export function undecodableReason(message: object): string | undefined {
  return (message as { [undecodableKey]?: string })[undecodableKey];
}

/** `decode`, returning a marked empty message instead of throwing (see {@link undecodableReason}). */
function leniently<Message>(decode: (bytes: Uint8Array) => Message): (bytes: Uint8Array) => Message {
  return (bytes) => {
    try {
      return decode(bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { [undecodableKey]: `${bytes.byteLength} bytes: ${reason}` } as Message;
    }
  };
}

const encodeOtherRecordTransferIn = (message: RecordTransferInMessage) =>
  sdkCodec.RecordTransferIn.encode(message).finish();
const encodeOtherRecordTransferOut = (message: RecordTransferOutMessage) =>
  sdkCodec.RecordTransferOut.encode(message).finish();

/**
 * The `sdk.SdkToolV2` service for nice-grpc, built from the generated protobufjs codec. Paths
 * (`/sdk.SdkToolV2/Control`, `/sdk.SdkToolV2/RecordTransfer`) are the ones the AMP engine calls; both
 * methods stream in both directions.
 */
export const sdkToolV2Definition = {
  name: 'SdkToolV2',
  fullName: 'sdk.SdkToolV2',
  methods: {
    control: {
      name: 'Control',
      // `decode` (what grpc-js's server uses) is lenient; `decodeParts` (the http2 carrier's) throws, and
      // that carrier hands the refusal to the handler itself.
      requestType: messageType<ControlInMessage>(
        (message) => sdkCodec.ControlIn.encode(message).finish(),
        leniently((bytes) => sdkCodec.ControlIn.decode(bytes)),
        undefined,
        (received) => sdkCodec.ControlIn.decode(joinedBytes(received)),
      ),
      requestStream: true,
      responseType: messageType<ControlOutMessage>(
        (message) => sdkCodec.ControlOut.encode(message).finish(),
        (bytes) => sdkCodec.ControlOut.decode(bytes),
      ),
      responseStream: true,
      options: {},
    },
    recordTransfer: {
      name: 'RecordTransfer',
      requestType: messageType<RecordTransferInMessage>(
        serializeRecordTransfer(encodeOtherRecordTransferIn),
        leniently((bytes) => sdkCodec.RecordTransferIn.decode(bytes)),
        partsOfRecordTransfer(encodeOtherRecordTransferIn),
        (received): RecordTransferInMessage => {
          const piece = decodeRecordsPieceParts(1, received.parts, received.byteLength);
          return piece === undefined
            ? sdkCodec.RecordTransferIn.decode(joinedBytes(received))
            : { incomingRecords: piece };
        },
      ),
      requestStream: true,
      responseType: messageType<RecordTransferOutMessage>(
        serializeRecordTransfer(encodeOtherRecordTransferOut),
        (bytes) => sdkCodec.RecordTransferOut.decode(bytes),
        partsOfRecordTransfer(encodeOtherRecordTransferOut),
        (received): RecordTransferOutMessage => {
          const piece = decodeRecordsPieceParts(2, received.parts, received.byteLength);
          return piece === undefined
            ? sdkCodec.RecordTransferOut.decode(joinedBytes(received))
            : { outgoingRecords: piece };
        },
      ),
      responseStream: true,
      options: {},
    },
  },
} as const satisfies TsProtoServiceDefinition;

/** Type of {@link sdkToolV2Definition}. */
export type SdkToolV2Definition = typeof sdkToolV2Definition;

/** The plugin side of `sdk.SdkToolV2`, as every carrier calls it: both methods stream both ways. */
export interface SdkToolV2Implementation {
  control(requests: AsyncIterable<ControlInMessage>, context: CallContext): AsyncIterable<ControlOutMessage>;
  recordTransfer(
    requests: AsyncIterable<RecordTransferInMessage>,
    context: CallContext,
  ): AsyncIterable<RecordTransferOutMessage>;
}

/** gRPC channel options shared by server and client: the AMP SDK lifts gRPC's size limits (-1). */
export const unlimitedMessageSizeOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
} as const;

/** Output message kinds on the wire (`OutputMessageTypes`). */
export const OutputMessageType = {
  none: 0,
  info: 1,
  warning: 2,
  error: 3,
  fileInput: 8,
  fileOutput: 9,
  updateOutputConfigXml: 11,
} as const;

/** Update modes on the wire (`UpdateMode`). */
export const UpdateModeWire = { run: 0, full: 1, quick: 2 } as const;

/** Metadata key carrying the auth token (`Bearer <token>`). */
export const authMetadataKey = 'authorization';
/** Metadata key by which our engine announces extensions it implements. */
export const featuresMetadataKey = 'x-sdk-transport-features';
/**
 * Extension: the engine also sends `RecordTransferIn.incoming_connection_complete` right after a
 * connection's last records, so that completion is ordered with the data on one stream.
 */
export const featureOrderedCompletion = 'ordered-connection-complete';
/** Trailer keys carrying a typed error across the wire. */
export const errorCodeTrailerKey = 'x-sdk-error-code';
export const errorStackTrailerKey = 'x-sdk-error-stack';
export const errorAnchorTrailerKey = 'x-sdk-error-anchor';
export const errorConnectionTrailerKey = 'x-sdk-error-connection';
