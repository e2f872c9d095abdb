import { join } from 'node:path';

/**
 * The transform tool's bin, src/bin/transform-tool.ts, as transpiled by the jest global setup
 * (scripts/jest-transpile-sources.js) into this package's node_modules/.cache: the real entry point, run as JavaScript.
 */
export const pluginEntryPoint = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'transpiled-src',
  'bin',
  'transform-tool.js',
);
