// The benchmark's connector: an incremental Airbyte source of `count` generated orders (integers, a
// double, text, a timestamp with zone, a nested object), one STATE per slice of `slice_size` records.
// Run as a command (`node bench-source.mjs read --config ...`) or imported (`BenchSource`).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { Source, Stream, launchSourceCli } = require('@sdk/stream-cdk');

export function benchRecord(index) {
  return {
    id: index,
    customer_id: index % 9_973,
    amount: (index % 100_000) / 100 + 0.25,
    status: index % 3 === 0 ? 'shipped' : 'pending',
    note: `order ${index} for customer ${index % 9_973}`,
    placed_at: new Date(Date.UTC(2026, 0, 1) + index * 1_000).toISOString(),
    address: {
      city: index % 2 === 0 ? 'Paris' : 'Lyon',
      zip: String(75_000 + (index % 20)),
      lines: ['1 rue', null],
    },
  };
}

class OrdersStream extends Stream {
  name = 'orders';
  #state = {};
  constructor(config) {
    super();
    this.config = config;
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
    return {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        customer_id: { type: 'integer' },
        amount: { type: 'number' },
        status: { type: 'string' },
        note: { type: 'string' },
        placed_at: { type: 'string', format: 'date-time' },
        address: { type: 'object' },
      },
    };
  }
  *streamSlices({ streamState }) {
    const from = typeof streamState.next === 'number' ? streamState.next : 0;
    for (let start = from; start < this.config.count; start += this.config.slice_size) yield { start };
  }
  *readRecords({ streamSlice }) {
    const end = Math.min(streamSlice.start + this.config.slice_size, this.config.count);
    for (let index = streamSlice.start; index < end; index += 1) {
      yield benchRecord(index);
      this.#state = { next: index + 1 };
    }
  }
}

export class BenchSource extends Source {
  spec() {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['count', 'slice_size'],
        properties: {
          count: { type: 'integer' },
          slice_size: { type: 'integer' },
          token: { type: 'string', airbyte_secret: true },
        },
      },
    };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new OrdersStream(config)];
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) void launchSourceCli(new BenchSource());
