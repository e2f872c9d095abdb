// The generated codec is CommonJS in both builds (`module.exports = root`, no `__esModule`), so both
// read it through the default import: one codec, whichever module system loaded this file.

import type { sdk } from '../gen/sdk.js';
import generated from '../gen/sdk.js';
import { encodeRecordsPiece } from './records-codec.js';

const sdkCodec = generated.sdk;

/** Engine-to-plugin Control message, as decoded by the generated codec. */
export type ControlInMessage = sdk.ControlIn.$Properties;
/** Plugin-to-engine Control message. */
export type ControlOutMessage = sdk.ControlOut.$Properties;
/** Engine-to-plugin RecordTransfer message. */
export type RecordTransferInMessage = sdk.RecordTransferIn.$Properties;
/** Plugin-to-engine RecordTransfer message. */
export type RecordTransferOutMessage = sdk.RecordTransferOut.$Properties;

/** RecordTransferIn: records pieces take the single-copy path, everything else the generated codec. */
function serializeRecordTransferIn(message: RecordTransferInMessage): Uint8Array {
  if (message.incomingRecords && !message.recordRequest && !message.incomingConnectionComplete) {
    return encodeRecordsPiece(1, message.incomingRecords);
  }
  return sdkCodec.RecordTransferIn.encode(message).finish();
}

/** RecordTransferOut: as {@link serializeRecordTransferIn}. */
function serializeRecordTransferOut(message: RecordTransferOutMessage): Uint8Array {
  if (message.outgoingRecords && !message.wantRecords && !message.closeOutgoingAnchor) {
    return encodeRecordsPiece(2, message.outgoingRecords);
  }
  return sdkCodec.RecordTransferOut.encode(message).finish();
}

function serializer<T>(codec: { encode(message: T): { finish(): Uint8Array } }): (value: T) => Uint8Array {
  return (value) => codec.encode(value).finish();
}

function deserializer<T>(codec: { decode(bytes: Uint8Array): T }): (bytes: Uint8Array) => T {
  return (bytes) => codec.decode(bytes);
}

/**
 * The `sdk.SdkToolV2` service for nice-grpc, built from the generated protobufjs codec. Paths are the
 * ones the AMP engine calls; both methods stream in both directions.
 */
export const sdkToolV2Definition = {
  control: {
    path: '/sdk.SdkToolV2/Control',
    requestStream: true,
    responseStream: true,
    requestSerialize: serializer<ControlInMessage>(sdkCodec.ControlIn),
    requestDeserialize: deserializer<ControlInMessage>(sdkCodec.ControlIn),
    responseSerialize: serializer<ControlOutMessage>(sdkCodec.ControlOut),
    responseDeserialize: deserializer<ControlOutMessage>(sdkCodec.ControlOut),
    options: {},
  },
  recordTransfer: {
    path: '/sdk.SdkToolV2/RecordTransfer',
    requestStream: true,
    responseStream: true,
    requestSerialize: serializeRecordTransferIn,
    requestDeserialize: deserializer<RecordTransferInMessage>(sdkCodec.RecordTransferIn),
    responseSerialize: serializeRecordTransferOut,
    responseDeserialize: deserializer<RecordTransferOutMessage>(sdkCodec.RecordTransferOut),
    options: {},
  },
} as const;

/** Type of {@link sdkToolV2Definition}. */
export type SdkToolV2Definition = typeof sdkToolV2Definition;

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
