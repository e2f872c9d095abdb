// Runs the Airbyte shim around the sample stream-cdk source, in-process.
import { AirbyteCaptureShim } from '../airbyte/airbyte-capture-shim';
import { StreamCdkAirbyteDriver } from '../airbyte/stream-cdk-airbyte-driver';
import { main } from '../index';
import { SampleCdkSource } from './cdk-sample-source';

main(new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new SampleCdkSource(), { name: 'cdk-sample' })));
