// The peer in the benchmark: the same source as cdk-source.mjs (one stream `numbers` yielding
// `record_count` records `{ id, name: 'item-<id>', value: id * 2 }`, primary key `id`, same schema)
// written with faros-airbyte-cdk's AirbyteSourceBase / AirbyteStreamBase and run through its own
// command line (AirbyteSourceRunner, `read --config --catalog`). Reports its peak RSS on stderr.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  AirbyteSourceBase,
  AirbyteSourceLogger,
  AirbyteSourceRunner,
  AirbyteSpec,
  AirbyteStreamBase,
} = require('faros-airbyte-cdk');

class NumbersStream extends AirbyteStreamBase {
  constructor(logger, count) {
    super(logger);
    this.count = count;
  }
  get name() {
    return 'numbers';
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
  async *readRecords() {
    for (let id = 0; id < this.count; id++) yield { id, name: `item-${id}`, value: id * 2 };
  }
}

class NumbersSource extends AirbyteSourceBase {
  get type() {
    return 'numbers';
  }
  async spec() {
    return new AirbyteSpec({
      connectionSpecification: {
        type: 'object',
        required: ['record_count'],
        properties: { record_count: { type: 'integer', minimum: 0 } },
      },
    });
  }
  async checkConnection() {
    return [true, undefined];
  }
  streams(config) {
    return [new NumbersStream(this.logger, config.record_count)];
  }
}

process.on('exit', () => {
  process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
const logger = new AirbyteSourceLogger();
await new AirbyteSourceRunner(logger, new NumbersSource(logger)).mainCommand().parseAsync(process.argv);
