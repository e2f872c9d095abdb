#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHarness } from '../internal/harness.js';

// This package's package.json is two folders up from src/bin and dist/bin.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

runHarness(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: manifest.version,
  progress: process.stderr,
}).then((exitCode) => {
  process.exitCode = exitCode;
});
