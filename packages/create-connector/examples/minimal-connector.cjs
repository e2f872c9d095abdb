// A minimal use of @sdk/create-connector: scaffold a standalone `stream` connector into a temporary
// directory (outside any workspace), check what it wrote, and see a bad name refused with a typed error.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded package.
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function runMinimalConnector({ sdk }) {
  const { InvalidConnectorNameError, generateConnector } = sdk;
  const cwd = mkdtempSync(join(tmpdir(), 'create-connector-example-'));
  try {
    const generated = await generateConnector({ name: 'acme-orders', kind: 'stream', cwd });
    const manifest = JSON.parse(readFileSync(join(generated.targetDir, 'package.json'), 'utf8'));
    if (generated.mode !== 'standalone' || !existsSync(join(generated.targetDir, 'README.md'))) {
      throw new Error(`unexpected generation: ${JSON.stringify(generated)}`);
    }
    if (!manifest.dependencies?.['@sdk/stream-cdk'])
      throw new Error('the stream kind must depend on @sdk/stream-cdk');
    let refused;
    try {
      await generateConnector({ name: 'Not A Name', kind: 'stream', cwd });
    } catch (error) {
      refused = error;
    }
    if (!InvalidConnectorNameError.isInstance(refused)) throw new Error('a bad name was not refused');
    console.log(
      `generated ${generated.files.length} files for acme-orders; refused a bad name with ${refused.code}`,
    );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
};
