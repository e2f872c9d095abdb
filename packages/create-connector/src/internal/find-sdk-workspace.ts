import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// What makes a pnpm workspace the @sdk monorepo, rather than some other project's workspace: the shared
// settings generated connectors extend, and the folder they go to.
const WORKSPACE_MARKERS = ['pnpm-workspace.yaml', 'tsconfig.base.json', 'jest.config.base.js', 'packages'];

/**
 * The root of the @sdk monorepo containing `startDir` (the nearest folder upwards with a
 * `pnpm-workspace.yaml`), or undefined when there is none or the nearest workspace is another project.
 */
export function findSdkWorkspace(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      return WORKSPACE_MARKERS.every((marker) => existsSync(join(dir, marker))) ? dir : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
