// The plugin of the minimal example: doubles the `value` column of every incoming table.
const { Float64, Table, vectorFromArray } = require('apache-arrow');

module.exports = class DoublingPlugin {
  constructor(provider) {
    this.provider = provider;
  }

  async onRecordBatch(table) {
    const doubled = Array.from(table.getChild('value').toArray(), (value) => value * 2);
    // Awaiting the write is the backpressure: it waits while the engine is not reading.
    await this.provider.writeToAnchor(
      'Output',
      new Table({ value: vectorFromArray(doubled, new Float64()) }),
    );
  }

  onIncomingConnectionComplete() {}

  onComplete() {}
};
