// The demo's sample source, run through the real CLI of the built @sdk/stream-cdk:
// "tickets" is resumable full refresh over 8 pages (state = next page), "events" is incremental
// over 4 daily slices (state = latest cursor). Each page/slice waits a little, like a real API.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { Source, Stream, launchSourceCli } = require('../dist/index.js');

class TicketsStream extends Stream {
  name = 'tickets';
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
  get primaryKey() {
    return 'id';
  }
  getJsonSchema() {
    return { type: 'object', properties: { id: { type: 'integer' }, page: { type: 'integer' } } };
  }
  async *readRecords({ streamSlice }) {
    const page = typeof streamSlice.page === 'number' ? streamSlice.page : 1;
    await sleep(this.config.page_delay_ms);
    for (let n = 0; n < this.config.page_size; n++)
      yield { id: (page - 1) * this.config.page_size + n, page };
    this.#state = page < this.config.pages ? { page: page + 1 } : {};
  }
}

class EventsStream extends Stream {
  name = 'events';
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
    return ['day'];
  }
  getJsonSchema() {
    return { type: 'object', properties: { id: { type: 'string' }, day: { type: 'integer' } } };
  }
  *streamSlices({ streamState }) {
    const after = typeof streamState.day === 'number' ? streamState.day : 0;
    for (let day = after + 1; day <= 4; day++) yield { day };
  }
  async *readRecords({ streamSlice }) {
    await sleep(this.config.page_delay_ms);
    for (let n = 0; n < this.config.page_size; n++)
      yield { id: `${streamSlice.day}-${n}`, day: streamSlice.day };
    this.#state = { day: streamSlice.day };
  }
}

class DemoSource extends Source {
  spec() {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['pages', 'page_size', 'page_delay_ms'],
        properties: {
          pages: { type: 'integer', minimum: 1 },
          page_size: { type: 'integer', minimum: 1 },
          page_delay_ms: { type: 'integer', minimum: 0 },
        },
      },
    };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new TicketsStream(config), new EventsStream(config)];
  }
}

await launchSourceCli(new DemoSource());
