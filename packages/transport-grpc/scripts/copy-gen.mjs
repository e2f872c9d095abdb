// tsc does not copy plain .js files; the generated codec is copied next to the compiled code of both
// builds so that dist/internal/*.js and dist/esm/internal/*.js import '../gen/sdk.js' exactly as src/
// does. The codec stays CommonJS in both (it holds no Arrow classes, so one format serves both), and
// dist/esm, an ES module folder, gets a package.json saying so and one marking gen/ as CommonJS.
import { cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageDir, 'dist');
const packageJson = (type) => `${JSON.stringify({ type })}\n`;
cpSync(join(packageDir, 'src', 'gen'), join(dist, 'gen'), { recursive: true });
cpSync(join(packageDir, 'src', 'gen'), join(dist, 'esm', 'gen'), { recursive: true });
writeFileSync(join(dist, 'esm', 'package.json'), packageJson('module'));
writeFileSync(join(dist, 'esm', 'gen', 'package.json'), packageJson('commonjs'));
