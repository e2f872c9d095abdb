// Runs the minimal connector with @sdk/datasource-bridge and @sdk/datasource loaded through import.

import * as datasource from '@sdk/datasource';
import * as bridge from '@sdk/datasource-bridge';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ bridge, datasource });
