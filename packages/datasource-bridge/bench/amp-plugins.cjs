// The two AMP input tools of the benchmark, for the transport's plugin host (`exportName` picks one).
const { sourceAsInputTool } = require('@sdk/amp-input-tool');
const { dataSourceAsSource } = require('../dist/index.js');
const { dataSourceModule, declaredStreams, OrdersSource } = require('./fixtures.cjs');

exports.SourceInputTool = sourceAsInputTool(new OrdersSource());
exports.DataSourceInputTool = sourceAsInputTool(
  dataSourceAsSource(dataSourceModule, { streams: declaredStreams }),
);
