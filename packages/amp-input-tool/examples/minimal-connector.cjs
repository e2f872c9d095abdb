// A minimal AMP-style input tool with @sdk/amp-input-tool: the engine side launches
// numbers-input-tool.cjs as its own process, hands it a tool configuration, and reads each stream back
// as Arrow from the anchor named after it.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded packages.
const { join } = require('node:path');

module.exports = async function runMinimalConnector({ transport }) {
  const { launchPlugin, runPlugin } = transport;
  const plugin = await launchPlugin({ modulePath: join(__dirname, 'numbers-input-tool.cjs') });
  try {
    const result = await runPlugin(plugin, {
      configXml: '<Configuration><Config>{"total": 1000}</Config></Configuration>',
      outgoingAnchors: [{ name: 'numbers' }],
      timeoutMs: 30_000,
    });
    const tables = result.outputs.get('numbers') ?? [];
    const values = tables.flatMap((table) => Array.from(table.getChild('value').toArray(), Number));
    if (values.length !== 1000 || values[999] !== 999)
      throw new Error(`unexpected output ${values.slice(-3)}`);
    console.log(`read ${values.length} records as ${tables.length} Arrow tables from the input tool process`);
  } finally {
    await plugin.close();
  }
};
