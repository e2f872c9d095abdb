// Runs the minimal connector with @sdk/transport-grpc loaded through import.

import * as transport from '@sdk/transport-grpc';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ transport });
