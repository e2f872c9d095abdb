// Runs the minimal connector with @sdk/transport-grpc and apache-arrow loaded through import.

import * as sdk from '@sdk/transport-grpc';
import * as arrow from 'apache-arrow';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ sdk, arrow });
