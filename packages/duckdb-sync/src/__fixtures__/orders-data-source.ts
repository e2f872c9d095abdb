import { type DataRecord, DataSource, type DataSourceConfig } from '@sdk/datasource';

/** A Panoply-style DataSource of `count` orders in batches of 4, resumable from `{ next }`. */
export class OrdersDataSource extends DataSource {
  #next = Number((this.source.state as { next?: number } | undefined)?.next ?? 0);

  read(): DataRecord[] | null {
    const count = Number(this.source.count);
    if (this.#next >= count) return null;
    const end = Math.min(count, this.#next + 4);
    const stateId = `orders-${end}`;
    this.state(stateId, { next: end });
    const batch: DataRecord[] = [];
    for (let id = this.#next; id < end; id += 1) {
      batch.push({
        id,
        total: BigInt(id) * 10_000_000_000_000_000n,
        placed: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
        __state: stateId,
      });
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
    { name: 'count', title: 'Orders', type: 'number', default: 10 },
    { name: 'destination', title: 'Table', default: 'orders' },
  ],
};
