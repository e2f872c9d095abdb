// A minimal AMP-style plugin run with @sdk/transport-grpc: the engine side
// launches doubling-plugin.cjs as its own process, streams a table through it over gRPC and reads
// the result back.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded packages.
const { join } = require('node:path');

module.exports = async function runMinimalConnector({ sdk, arrow }) {
  const { launchPlugin, runPlugin } = sdk;
  const { tableFromArrays } = arrow;
  const plugin = await launchPlugin({ modulePath: join(__dirname, 'doubling-plugin.cjs') });
  try {
    const input = tableFromArrays({ value: Float64Array.from({ length: 1000 }, (_, index) => index) });
    const result = await runPlugin(plugin, {
      inputs: { Input: { '#1': [input] } },
      outgoingAnchors: [{ name: 'Output' }],
      timeoutMs: 30_000,
    });
    const output = result.outputs.get('Output') ?? [];
    const values = output.flatMap((table) => Array.from(table.getChild('value').toArray()));
    if (values.length !== 1000 || values[999] !== 1998)
      throw new Error(`unexpected output ${values.slice(-3)}`);
    console.log(`streamed ${input.numRows} rows through the plugin process; last value ${values[999]}`);
  } finally {
    await plugin.close();
  }
};
