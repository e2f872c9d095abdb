import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Formats `dir` with the workspace's own biome (its settings, its version), when it is installed.
 * Templates are written formatted already; this re-wraps the lines a long connector name pushes past
 * the line width. Resolves false when biome is not installed yet or fails, which leaves the files as
 * generated (valid, maybe with long lines).
 */
export function formatWithWorkspaceBiome(workspaceRoot: string, dir: string): boolean {
  const biome = join(workspaceRoot, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(biome)) return false;
  try {
    execFileSync(process.execPath, [biome, 'format', '--write', dir], {
      cwd: workspaceRoot,
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}
