// The demo's plugin: for every incoming table, adds `total = price * quantity` and writes it to
// `Output`; counts rows per connection and reports them when the run completes.
const { Float64, Table, vectorFromArray } = require('apache-arrow');

class OrderTotalsPlugin {
  constructor(provider) {
    this.provider = provider;
    this.rowsByConnection = new Map();
    provider.io.info(
      `OrderTotals starting (tool ${provider.environment.toolId}, mode ${provider.environment.updateMode})`,
    );
  }

  async onRecordBatch(table, anchor) {
    const price = table.getChild('price').toArray();
    const quantity = table.getChild('quantity').toArray();
    const total = new Float64Array(table.numRows);
    for (let index = 0; index < total.length; index += 1) total[index] = price[index] * quantity[index];
    const columns = Object.fromEntries(
      table.schema.fields.map((field) => [field.name, table.getChild(field.name)]),
    );
    await this.provider.writeToAnchor(
      'Output',
      new Table({ ...columns, total: vectorFromArray(total, new Float64()) }),
    );
    const key = `${anchor.name}/${anchor.connection}`;
    this.rowsByConnection.set(key, (this.rowsByConnection.get(key) ?? 0) + table.numRows);
  }

  onIncomingConnectionComplete(anchor) {
    const key = `${anchor.name}/${anchor.connection}`;
    this.provider.io.info(`connection ${key} complete after ${this.rowsByConnection.get(key) ?? 0} rows`);
  }

  onComplete() {
    this.provider.io.info(
      `plugin pid ${process.pid} done, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  }
}

module.exports = OrderTotalsPlugin;
