import { createHash } from 'node:crypto';
import type { DataRecord } from '../data-source';
import { compactJsonStringify } from './python-json';

/**
 * `<prefix>.<first>+<count>.<digest>`: where the records sit (the prefix names the run and the batch,
 * `first` is the index of the first record in that batch) and 16 hex digits of a SHA-256 over the
 * records without `__state` (state ids may be random, so a replay of the same rows would otherwise
 * get a new id). The same rows at the same place give the same id; anything else a different one.
 */
export function deduplicationId(prefix: string, first: number, records: readonly DataRecord[]): string {
  const hash = createHash('sha256');
  for (const record of records) {
    hash.update(compactJsonStringify(record, { omitTopLevelKey: '__state' }));
    hash.update('\n');
  }
  return `${prefix}.${first}+${records.length}.${hash.digest('hex').slice(0, 16)}`;
}
