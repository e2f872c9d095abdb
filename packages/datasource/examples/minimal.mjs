// Runs the minimal connector with @sdk/datasource loaded through import.
import * as sdk from '@sdk/datasource';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk });
