import type { JsonObject } from '../protocol/flow-specs';

/**
 * The record's data as JSON with `_meta.row_id` set. Splices the row id into the serialised text
 * instead of copying the object (the hot path of every shim read); falls back to a copy when the
 * data already has a `_meta`.
 */
export function documentWithRowId(data: JsonObject, rowId: number): string {
  const meta = data._meta;
  if (meta === undefined) {
    const json = JSON.stringify(data);
    if (json.length > 2 && json.charCodeAt(0) === 123)
      return `${json.slice(0, -1)},"_meta":{"row_id":${rowId}}}`;
    if (json === '{}') return `{"_meta":{"row_id":${rowId}}}`;
  }
  return JSON.stringify({
    ...data,
    _meta: {
      ...(typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {}),
      row_id: rowId,
    },
  });
}
