// Runs the minimal connector with @sdk/duckdb-sync and @sdk/stream-cdk loaded through import.

import * as duckdbSync from '@sdk/duckdb-sync';
import * as cdk from '@sdk/stream-cdk';
import runMinimalConnector from './minimal-connector.cjs';

await runMinimalConnector({ duckdbSync, cdk });
