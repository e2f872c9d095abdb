#!/usr/bin/env node
import { runHarness } from '../internal/harness.js';

runHarness(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((exitCode) => {
  process.exitCode = exitCode;
});
