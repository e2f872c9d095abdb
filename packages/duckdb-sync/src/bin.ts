#!/usr/bin/env node
import { runDuckDbSyncCli } from './cli/run-duckdb-sync-cli';

runDuckDbSyncCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
