// The two AMP input tools of the benchmark, for the transport's plugin host (`exportName` picks one).
const { jsonSchemaToArrowSchema, rowsToRecordBatch } = require('@sdk/arrow-chunker');
const { sourceAsInputTool } = require('@sdk/amp-input-tool');
const { parseToolConfigXml } = require('@sdk/transport-grpc');
const { dataSourceAsSource } = require('@sdk/datasource-bridge');
const { dataSourceModule, declaredStreams, order, OrdersSource, ordersSchema } = require('./fixtures.cjs');

exports.SourceInputTool = sourceAsInputTool(new OrdersSource());
exports.DataSourceInputTool = sourceAsInputTool(
  dataSourceAsSource(dataSourceModule, { streams: declaredStreams }),
);

/**
 * The engine's native path, for comparison: an input tool written by hand for this data, which builds
 * the same rows and writes them as Arrow tables of 10,000 rows, with no Airbyte layer in between.
 */
exports.NativeInputTool = class NativeInputTool {
  constructor(provider) {
    this.provider = provider;
  }
  async onComplete() {
    const config = parseToolConfigXml(this.provider.toolConfigXml).children.find(
      (child) => child.name === 'Config',
    );
    const { count } = JSON.parse(config.text);
    const schema = jsonSchemaToArrowSchema(ordersSchema);
    this.provider.pushOutgoingMetadata('orders', schema);
    for (let start = 0; start < count; start += 10_000) {
      const rows = [];
      for (let id = start; id < Math.min(count, start + 10_000); id += 1) rows.push(order(id));
      await this.provider.writeToAnchor('orders', rowsToRecordBatch(rows, { schema }));
    }
  }
};
