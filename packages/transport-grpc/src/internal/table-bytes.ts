import type { Table } from 'apache-arrow';

/** Bytes of a decoded table's column data: how the engine's output buffer and the plugin's queue count it. */
export function tableBytes(table: Table): number {
  return table.batches.reduce((sum, batch) => sum + batch.data.byteLength, 0);
}
