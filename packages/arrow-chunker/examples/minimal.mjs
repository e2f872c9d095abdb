// Runs the minimal connector with @sdk/arrow-chunker and apache-arrow loaded through import.

import * as sdk from '@sdk/arrow-chunker';
import * as arrow from 'apache-arrow';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk, arrow });
