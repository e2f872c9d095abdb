// Runs the minimal connector with @sdk/stream-cdk loaded through import.
import * as sdk from '@sdk/stream-cdk';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk });
