// The fixture source as an Estuary Flow capture, through @sdk/flow-shim's Airbyte shim.
import { AirbyteCaptureShim, main, StreamCdkAirbyteDriver } from '@sdk/flow-shim';
import { EdgeSource } from './edge-source';

main(new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new EdgeSource(), { name: 'edge' })));
