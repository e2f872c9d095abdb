/**
 * Which member of a oneof is set. Decoded messages also expose this as a `payload` getter, but plain
 * objects (messages built in code) do not, so look at the fields themselves.
 */
export function payloadOf<Name extends string>(message: object, names: readonly Name[]): Name | undefined {
  const fields = message as Record<string, unknown>;
  return names.find((name) => fields[name] !== undefined && fields[name] !== null);
}

/** Members of `ControlIn.payload`. */
export const controlInPayloads = [
  'pluginInitializationData',
  'translatedMessage',
  'decryptedPassword',
  'notifyComplete',
  'dcmEResponse',
  'incomingConnectionComplete',
] as const;

/** Members of `RecordTransferOut.payload`. */
export const recordTransferOutPayloads = ['outgoingRecords', 'wantRecords', 'closeOutgoingAnchor'] as const;

/** Members of `RecordTransferIn.payload`. */
export const recordTransferInPayloads = [
  'incomingRecords',
  'recordRequest',
  'incomingConnectionComplete',
] as const;
