import { type Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { TransportError } from '../errors/transport-error.js';

const endOfStreamMarkerBytes = 8;

/**
 * The Arrow IPC Schema message alone (what pyarrow's `schema.serialize()` gives): an empty table's IPC
 * stream without its 8-byte end-of-stream marker.
 */
export function serializeSchema(schema: Schema): Uint8Array {
  const stream = tableToIPC(new Table(schema), 'stream');
  return stream.subarray(0, stream.byteLength - endOfStreamMarkerBytes);
}

/** Reads a Schema message as written by {@link serializeSchema} or by pyarrow. */
export function deserializeSchema(bytes: Uint8Array, anchorName: string): Schema {
  const stream = new Uint8Array(bytes.byteLength + endOfStreamMarkerBytes);
  stream.set(bytes, 0);
  stream.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], bytes.byteLength);
  try {
    return tableFromIPC(stream).schema;
  } catch (error) {
    throw new TransportError(
      'TRANSPORT_INVALID_RECORDS',
      `outgoing metadata of anchor '${anchorName}' is not an Arrow schema`,
      {
        cause: error,
        anchorName,
      },
    );
  }
}
