// An Airbyte-protocol source of numbers (@sdk/stream-cdk) served as an AMP-style input tool. The
// engine side (minimal-connector.cjs) launches this module with the transport's plugin host.
const { Source, Stream } = require('@sdk/stream-cdk');
const { sourceAsInputTool } = require('@sdk/amp-input-tool');

class NumbersStream extends Stream {
  name = 'numbers';
  constructor(total) {
    super();
    this.total = total;
  }
  getJsonSchema() {
    return { type: 'object', properties: { value: { type: 'integer' }, label: { type: 'string' } } };
  }
  *readRecords() {
    for (let value = 0; value < this.total; value += 1) yield { value, label: `n${value}` };
  }
}

class NumbersSource extends Source {
  spec() {
    return { connectionSpecification: { type: 'object', properties: { total: { type: 'integer' } } } };
  }
  async checkConnection() {
    return { succeeded: true };
  }
  streams(config) {
    return [new NumbersStream(config.total ?? 100)];
  }
}

module.exports = sourceAsInputTool(new NumbersSource(), { maxRowsPerTable: 400 });
