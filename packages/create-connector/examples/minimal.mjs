// Runs the minimal connector with @sdk/create-connector loaded through import.
import * as sdk from '@sdk/create-connector';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk });
