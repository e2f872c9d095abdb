import { basename, dirname, join } from 'node:path';

// A .cts file is CommonJS in both builds (dist/internal/*.cjs and dist/esm/internal/*.cjs), so
// `__dirname` is defined in either; ES module code has no `__dirname`, and CommonJS code may not name
// `import.meta`.

/**
 * Path of the plugin host to spawn. The host is CommonJS only and lives in the CommonJS build
 * (dist/bin), which the ES module build (dist/esm) sits inside; under a TS loader it is src/bin/*.ts.
 */
export function pluginHostPath(): string {
  if (__filename.endsWith('.cts')) return join(__dirname, '..', 'bin', 'plugin-host.ts');
  const buildRoot = join(__dirname, '..');
  const commonJsRoot = basename(buildRoot) === 'esm' ? dirname(buildRoot) : buildRoot;
  return join(commonJsRoot, 'bin', 'plugin-host.js');
}
