// The generated codec is CommonJS in both builds (`module.exports = root`, no `__esModule`), so both
// read it through the default import: one codec, whichever module system loaded this file.

import type { TsProtoServiceDefinition } from 'nice-grpc';
import type { CallContext } from 'nice-grpc-common';
import type { sdk } from '../gen/sdk.js';
import generated from '../gen/sdk.js';
import { encodeRecordsPiece, type RecordsPiece } from './records-codec.js';

const sdkCodec = generated.sdk;

/** Engine-to-plugin Control message, as decoded by the generated codec. */
export type ControlInMessage = sdk.ControlIn.$Properties;
/** Plugin-to-engine Control message. */
export type ControlOutMessage = sdk.ControlOut.$Properties;
/**
 * Engine-to-plugin RecordTransfer message. `wireBytes`, when set, are its exact encoding, built when
 * the message was queued (see {@link incomingRecordsMessage}); decoded messages never carry it.
 */
export type RecordTransferInMessage = sdk.RecordTransferIn.$Properties & { readonly wireBytes?: Uint8Array };
/** Plugin-to-engine RecordTransfer message; `wireBytes` as in {@link RecordTransferInMessage}. */
export type RecordTransferOutMessage = sdk.RecordTransferOut.$Properties & {
  readonly wireBytes?: Uint8Array;
};

/**
 * A RecordTransferIn records piece with its wire bytes built now. Encoding when the piece is queued,
 * rather than when gRPC sends it, copies `data` at once: the sender's batch may then be reused as soon
 * as `send` resolves, even though the piece may wait in gRPC's buffers.
 */
export function incomingRecordsMessage(piece: RecordsPiece): RecordTransferInMessage {
  return { incomingRecords: piece, wireBytes: encodeRecordsPiece(1, piece) };
}

/** RecordTransferOut counterpart of {@link incomingRecordsMessage}. */
export function outgoingRecordsMessage(piece: RecordsPiece): RecordTransferOutMessage {
  return { outgoingRecords: piece, wireBytes: encodeRecordsPiece(2, piece) };
}

/** RecordTransferIn: records pieces take the single-copy path, everything else the generated codec. */
function serializeRecordTransferIn(message: RecordTransferInMessage): Uint8Array {
  if (message.wireBytes !== undefined) return message.wireBytes;
  if (message.incomingRecords && !message.recordRequest && !message.incomingConnectionComplete) {
    return encodeRecordsPiece(1, message.incomingRecords);
  }
  return sdkCodec.RecordTransferIn.encode(message).finish();
}

/** RecordTransferOut: as {@link serializeRecordTransferIn}. */
function serializeRecordTransferOut(message: RecordTransferOutMessage): Uint8Array {
  if (message.wireBytes !== undefined) return message.wireBytes;
  if (message.outgoingRecords && !message.wantRecords && !message.closeOutgoingAnchor) {
    return encodeRecordsPiece(2, message.outgoingRecords);
  }
  return sdkCodec.RecordTransferOut.encode(message).finish();
}

/**
 * A message type in the shape nice-grpc accepts from ts-proto (`encode(...).finish()`, `decode`).
 * That shape matters: nice-grpc copies every received message (`Buffer.from`) before decoding it when
 * given grpc-js style `path`/`...Deserialize` definitions, but decodes gRPC's buffer directly in this one.
 * Decoded `bytes` fields are views of gRPC's message buffer.
 */
function messageType<Message>(
  encode: (message: Message) => Uint8Array,
  decode: (bytes: Uint8Array) => Message,
): { encode(message: Message): { finish(): Uint8Array }; decode(bytes: Uint8Array): Message } {
  return { encode: (message) => ({ finish: () => encode(message) }), decode };
}

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
      requestType: messageType<ControlInMessage>(
        (message) => sdkCodec.ControlIn.encode(message).finish(),
        (bytes) => sdkCodec.ControlIn.decode(bytes),
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
      requestType: messageType<RecordTransferInMessage>(serializeRecordTransferIn, (bytes) =>
        sdkCodec.RecordTransferIn.decode(bytes),
      ),
      requestStream: true,
      responseType: messageType<RecordTransferOutMessage>(serializeRecordTransferOut, (bytes) =>
        sdkCodec.RecordTransferOut.decode(bytes),
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
