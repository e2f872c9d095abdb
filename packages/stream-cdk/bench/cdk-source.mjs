// A source with one stream yielding `record_count` small records, run through the real CLI of
// @sdk/stream-cdk (the built package). Reports its peak RSS on stderr when it exits.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Source, Stream, launchSourceCli } = require('../dist/index.js');

class NumbersStream extends Stream {
  constructor(count) {
    super();
    this.count = count;
    this.name = 'numbers';
  }
  get primaryKey() {
    return 'id';
  }
  getJsonSchema() {
    return {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' }, value: { type: 'integer' } },
    };
  }
  *readRecords() {
    for (let id = 0; id < this.count; id++) yield { id, name: `item-${id}`, value: id * 2 };
  }
}

class NumbersSource extends Source {
  spec() {
    return {
      connectionSpecification: {
        type: 'object',
        required: ['record_count'],
        properties: { record_count: { type: 'integer', minimum: 0 } },
      },
    };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new NumbersStream(config.record_count)];
  }
}

process.on('exit', () => {
  process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
await launchSourceCli(new NumbersSource());
