import { type DataRecord, DataSource, type DataSourceConfig, SourceError } from '@sdk/datasource';

/** The record the fixture writes at `index` (`order_lines` for odd indexes when `two_tables` is set). */
export function orderRecord(index: number, twoTables = false): DataRecord {
  const record: DataRecord = {
    id: index,
    amount: index + 0.25,
    name: `order ${index}`,
    meta: { tags: index % 3 === 0 ? ['priority'] : [], note: index % 2 === 0 ? null : 'odd' },
    created: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  };
  if (twoTables && index % 2 === 1) record.__table = 'order_lines';
  return record;
}

/** A Panoply-style DataSource of `count` orders, resumable from `{ next }`, with failure switches. */
export class OrdersDataSource extends DataSource {
  #next = Number((this.source.state as { next?: number } | undefined)?.next ?? 0);
  #reads = 0;

  read(batchSize = 100): DataRecord[] | null {
    this.#reads += 1;
    const count = Number(this.source.count);
    if (this.source.flaky !== undefined && this.#reads <= Number(this.source.flaky)) {
      throw new SourceError(`flaky upstream (read ${this.#reads})`, { retryable: true });
    }
    if (this.#next >= count) return null;
    const end = Math.min(count, this.#next + batchSize);
    const failAt = this.source.fail_at === undefined ? undefined : Number(this.source.fail_at);
    if (failAt !== undefined && failAt >= this.#next && failAt < end) {
      throw new SourceError(`upstream refused record ${failAt} for key ${String(this.source.api_key)}`, {
        retryable: false,
      });
    }
    this.log(`reading ${this.#next}..${end} with key ${String(this.source.api_key)}`);
    const stateId = `orders-${end}`;
    this.state(stateId, { next: end });
    this.progress(end, count, 'orders');
    const batch: DataRecord[] = [];
    for (let index = this.#next; index < end; index += 1) {
      batch.push({ ...orderRecord(index, this.source.two_tables === true), __state: stateId });
    }
    this.#next = end;
    return batch;
  }
}

export const Stream = OrdersDataSource;
export const CONFIG: DataSourceConfig = {
  title: 'Orders',
  params: [
    { name: 'api_key', title: 'API key', type: 'password', required: true },
    { name: 'count', title: 'Orders', type: 'number', default: 50 },
    { name: 'destination', title: 'Table', default: 'orders' },
    { name: 'two_tables', type: 'boolean', default: false },
    { name: 'fail_at', type: 'number' },
    { name: 'flaky', type: 'number' },
  ],
};
