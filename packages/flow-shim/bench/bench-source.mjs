// The source both benchmark paths read: one incremental stream of `records` synthetic rows
// (`id`, `name`, `amount`, `updated`), a STATE every 10,000 records.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Source, Stream } = require('@sdk/stream-cdk');

class Orders extends Stream {
  name = 'orders';
  constructor(total) {
    super();
    this.total = total;
  }
  get primaryKey() {
    return 'id';
  }
  get cursorField() {
    return ['updated'];
  }
  get stateCheckpointInterval() {
    return 10_000;
  }
  getJsonSchema() {
    return {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        amount: { type: 'number' },
        updated: { type: 'integer' },
      },
    };
  }
  getUpdatedState(current, latest) {
    return { updated: Math.max(current.updated ?? 0, latest.updated) };
  }
  *readRecords({ streamState }) {
    for (let id = (streamState.updated ?? 0) + 1; id <= this.total; id += 1) {
      yield { id, name: `customer-${id % 1000}`, amount: (id % 10_000) / 100, updated: id };
    }
  }
}

export class BenchSource extends Source {
  spec() {
    return { connectionSpecification: { type: 'object', properties: { records: { type: 'integer' } } } };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new Orders(config.records)];
  }
}

export const catalog = {
  streams: [
    {
      stream: {
        name: 'orders',
        json_schema: {},
        supported_sync_modes: ['incremental'],
        source_defined_primary_key: [['id']],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
      cursor_field: ['updated'],
    },
  ],
};
