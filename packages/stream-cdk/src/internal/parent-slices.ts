import { createStreamSlice, type StreamSlice } from '../checkpoint/stream-slice';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { SourceLogger } from '../stream/source-logger';
import type { Stream } from '../stream/stream';
import { readStreamRecords } from './read-stream-records';

/** One slice per parent record: the parent is read in full (all pages, no state). */
export async function* parentSlices(
  parent: Stream,
  partitionFor: (parentRecord: JsonObject) => JsonObject,
  logger: SourceLogger,
): AsyncGenerator<StreamSlice> {
  for await (const record of readStreamRecords(parent, logger)) {
    yield createStreamSlice(partitionFor(record), {});
  }
}

/**
 * Default partition of a parent record: `{parent: {<key>: value}}` with the parent's primary key
 * fields (keeps per-partition state small), or `{parent: record}` when it has none.
 */
export function defaultPartitionFor(parent: Stream, parentRecord: JsonObject): JsonObject {
  const primaryKey = parent.primaryKey;
  if (primaryKey === undefined || primaryKey.length === 0) return { parent: parentRecord };
  const paths =
    typeof primaryKey === 'string'
      ? [[primaryKey]]
      : primaryKey.map((p) => (typeof p === 'string' ? [p] : p));
  const key: JsonObject = {};
  for (const path of paths) {
    let value: unknown = parentRecord;
    for (const field of path) value = (value as JsonObject | undefined)?.[field];
    key[path.join('.')] = value ?? null;
  }
  return { parent: key };
}
