// An ES module plugin: its apache-arrow is the ES module build, so its Tables are that build's.
import { Float64, Table, vectorFromArray } from 'apache-arrow';

export default class EsModuleDoublingPlugin {
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
}
