// The sample @sdk/stream-cdk source as an Airbyte CLI (`spec`, `check`, `discover`, `read`): what the
// flow-shim command wraps in its tests, as it would wrap any Airbyte executable.
import { launchSourceCli } from '@sdk/stream-cdk';
import { SampleCdkSource } from './cdk-sample-source';

void launchSourceCli(new SampleCdkSource());
