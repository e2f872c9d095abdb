// Generates the static protobuf codec (src/gen/sdk.js + src/gen/sdk.d.ts) from ../../protos/sdk/*.proto.
// src/gen is generated output: never edited, gitignored, rebuilt by the turbo `codegen` task.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoRoot = join(packageDir, '..', '..', 'protos');
const genDir = join(packageDir, 'src', 'gen');
const bin = (name) => join(packageDir, 'node_modules', 'protobufjs-cli', 'bin', name);

const protoFiles = readdirSync(join(protoRoot, 'sdk'))
  .filter((name) => name.endsWith('.proto'))
  .sort()
  .map((name) => join(protoRoot, 'sdk', name));

mkdirSync(genDir, { recursive: true });
const outJs = join(genDir, 'sdk.js');
execFileSync(
  process.execPath,
  [
    bin('pbjs'),
    '--target',
    'static-module',
    '--wrap',
    'commonjs',
    '--path',
    protoRoot,
    '--force-number',
    '--no-delimited',
    '--no-beautify',
    '--out',
    outJs,
    ...protoFiles,
  ],
  { stdio: 'inherit' },
);
execFileSync(process.execPath, [bin('pbts'), '--no-comments', '--out', join(genDir, 'sdk.d.ts'), outJs], {
  stdio: 'inherit',
});
