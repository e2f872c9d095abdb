#!/usr/bin/env node
import { runCreateConnectorCli } from '../run-create-connector-cli';

// `create-connector <name> --kind stream|flow|datasource|plugin` (also `npm create @sdk/connector`).
void runCreateConnectorCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
