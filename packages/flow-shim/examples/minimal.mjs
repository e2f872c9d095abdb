// Runs the minimal connector with @sdk/flow-shim loaded through import.
import * as sdk from '@sdk/flow-shim';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk });
