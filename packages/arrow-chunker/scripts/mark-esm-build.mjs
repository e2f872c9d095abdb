// dist/esm holds the ES module build inside this CommonJS package: a package.json there makes Node
// (and TypeScript) read its .js and .d.ts files as ES modules.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(packageDir, 'dist', 'esm', 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
