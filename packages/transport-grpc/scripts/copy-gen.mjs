// tsc does not copy plain .js files; the generated codec is copied next to the compiled code so that
// dist/internal/*.js can require('../gen/sdk') exactly as src/ does.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(packageDir, 'src', 'gen'), join(packageDir, 'dist', 'gen'), { recursive: true });
