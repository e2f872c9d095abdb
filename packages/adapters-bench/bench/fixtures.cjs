// The same synthetic data for every cell of the adapters benchmark: a Panoply-style DataSource module
// and an Airbyte-protocol Source, each producing `count` records of one `orders` stream.
const { DataSource } = require('@sdk/datasource');
const { Source, Stream } = require('@sdk/stream-cdk');

function order(id) {
  return {
    id,
    name: `customer ${id % 977}`,
    email: `c${id % 977}@example.com`,
    amount: (id % 10_000) / 100,
    quantity: id % 17,
    created_at: new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString(),
    active: id % 3 !== 0,
    tags: id % 5 === 0 ? [] : ['retail', `t${id % 11}`],
    address: { city: `city ${id % 53}`, zip: String(10_000 + (id % 89_999)) },
  };
}

const ordersSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: 'string' },
    amount: { type: 'number' },
    quantity: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
  },
};

class Orders extends DataSource {
  #next = Number(this.source.state?.next ?? 0);
  read(batchSize = 1000) {
    const count = Number(this.source.count);
    if (this.#next >= count) return null;
    const end = Math.min(count, this.#next + batchSize);
    const stateId = `s${end}`;
    this.state(stateId, { next: end });
    const batch = new Array(end - this.#next);
    for (let id = this.#next; id < end; id += 1) {
      const record = order(id);
      record.__state = stateId;
      record.__table = 'orders';
      batch[id - this.#next] = record;
    }
    this.#next = end;
    return batch;
  }
}

const dataSourceModule = {
  Stream: Orders,
  CONFIG: { title: 'Orders', params: [{ name: 'count', type: 'number', required: true }] },
};
const declaredStreams = [{ name: 'orders', jsonSchema: ordersSchema, primaryKey: [['id']] }];

class OrdersStream extends Stream {
  name = 'orders';
  #state = {};
  constructor(count) {
    super();
    this.count = count;
  }
  get state() {
    return this.#state;
  }
  set state(value) {
    this.#state = value;
  }
  get cursorField() {
    return ['id'];
  }
  get primaryKey() {
    return 'id';
  }
  getJsonSchema() {
    return ordersSchema;
  }
  *streamSlices(args) {
    const from = typeof args.streamState.id === 'number' ? args.streamState.id + 1 : 0;
    for (let start = from; start < this.count; start += 1000) yield { start };
  }
  *readRecords(args) {
    const start = args.streamSlice.start;
    const end = Math.min(this.count, start + 1000);
    for (let id = start; id < end; id += 1) yield order(id);
    this.#state = { id: end - 1 };
  }
}

class OrdersSource extends Source {
  spec() {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['count'],
        properties: { count: { type: 'integer' } },
      },
    };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new OrdersStream(config.count)];
  }
}

module.exports = { dataSourceModule, declaredStreams, order, OrdersSource, ordersSchema };
