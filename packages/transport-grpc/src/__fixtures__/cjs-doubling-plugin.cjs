// A CommonJS plugin: its apache-arrow is the CommonJS build, so its Tables are that build's.
const { Float64, Table, vectorFromArray } = require('apache-arrow');

module.exports = class CommonJsDoublingPlugin {
  constructor(provider) {
    this.provider = provider;
  }

  async onRecordBatch(table) {
    const doubled = Array.from(table.getChild('value').toArray(), (value) => value * 2);
    await this.provider.writeToAnchor(
      'Output',
      new Table({ value: vectorFromArray(doubled, new Float64()) }),
    );
  }
};
