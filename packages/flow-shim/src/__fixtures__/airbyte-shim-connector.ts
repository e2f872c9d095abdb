// Runs the Airbyte shim around the sample Airbyte source as an external child process.
// SHIM_MERGE_PATCH=false selects the Python-compatible state mode.
import path from 'node:path';
import { AirbyteCaptureShim } from '../airbyte/airbyte-capture-shim';
import { ExternalAirbyteDriver } from '../airbyte/external-airbyte-driver';
import { main } from '../index';

const driver = new ExternalAirbyteDriver({
  command: process.execPath,
  args: [path.join(__dirname, 'airbyte-sample-source.js')],
  name: 'sample-source',
});
main(
  new AirbyteCaptureShim(driver, {
    mergePatch: process.env.SHIM_MERGE_PATCH !== 'false',
    onUnknownStream: process.env.SHIM_UNKNOWN_STREAM === 'warn' ? 'warn' : 'fail',
  }),
);
