import type { AirbyteMessage } from '../protocol/airbyte-protocol';
import { maskLog } from './queued-logger';
import type { SecretMasker } from './secret-masker';

/**
 * Masks secrets in LOG and TRACE messages (records, states and catalogs pass through unchanged, as
 * upstream does: record data is the user's data). Every string inside a TRACE is masked.
 */
export function maskMessage(message: AirbyteMessage, masker: SecretMasker): AirbyteMessage {
  if (!masker.active) return message;
  if (message.type === 'LOG') return maskLog(message, masker);
  if (message.type === 'TRACE') return maskStrings(message, masker) as AirbyteMessage;
  return message;
}

function maskStrings(value: unknown, masker: SecretMasker): unknown {
  if (typeof value === 'string') return masker.mask(value);
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, masker));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) copy[key] = maskStrings(child, masker);
    return copy;
  }
  return value;
}
