// The connector the demo's fake runtime runs: a small @sdk/stream-cdk source behind the in-process
// Airbyte shim. `orders` is incremental (a STATE every 100 records), `regions` a key-less full refresh.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Source, Stream } = require('@sdk/stream-cdk');
const { AirbyteCaptureShim, StreamCdkAirbyteDriver, main } = require('../dist/index.js');

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
    return 100;
  }
  getJsonSchema() {
    return { type: 'object', properties: { id: { type: 'integer' }, amount: { type: 'number' } } };
  }
  getUpdatedState(current, latest) {
    return { updated: Math.max(current.updated ?? 0, latest.updated) };
  }
  *readRecords({ streamState }) {
    for (let id = (streamState.updated ?? 0) + 1; id <= this.total; id += 1) {
      yield { id, amount: (id * 37) % 1000, updated: id };
    }
  }
}

class Regions extends Stream {
  name = 'regions';
  getJsonSchema() {
    return { type: 'object', properties: { region: { type: 'string' } } };
  }
  *readRecords() {
    for (const region of ['emea', 'amer', 'apac']) yield { region };
  }
}

class DemoSource extends Source {
  spec() {
    return {
      documentationUrl: 'https://example.invalid/demo-source',
      connectionSpecification: {
        type: 'object',
        required: ['orders'],
        properties: { orders: { type: 'integer' } },
      },
    };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new Orders(config.orders), new Regions()];
  }
}

main(new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new DemoSource(), { name: 'demo-source' })));
