// Runs the Singer shim around the sample Singer tap. SHIM_MERGE_PATCH=false selects the
// Python-compatible state mode.
import path from 'node:path';
import { main } from '../index';
import { SingerCaptureShim } from '../singer/singer-capture-shim';

main(
  new SingerCaptureShim({
    command: process.execPath,
    args: [path.join(__dirname, 'singer-sample-tap.js')],
    name: 'sample-tap',
    configSchema: { type: 'object', properties: { customers: { type: 'integer' } } },
    mergePatch: process.env.SHIM_MERGE_PATCH !== 'false',
  }),
);
