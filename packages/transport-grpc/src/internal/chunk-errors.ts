import { ChunkerError } from '@sdk/arrow-chunker';
import { TransportError } from '../errors/transport-error.js';

/** A chunker error while reassembling one connection's stream, as a TransportError naming it. */
export function reassemblyError(error: unknown, anchorName: string, connectionName: string): TransportError {
  if (TransportError.isInstance(error)) return error;
  const where = `anchor '${anchorName}' connection '${connectionName}'`;
  const detail = error instanceof Error ? error.message : String(error);
  const code =
    ChunkerError.isInstance(error) && error.code === 'CHUNKER_STREAM_TOO_LARGE'
      ? 'TRANSPORT_LIMIT_EXCEEDED'
      : 'TRANSPORT_INVALID_RECORDS';
  return new TransportError(code, `${where}: ${detail}`, { cause: error, anchorName, connectionName });
}
