import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Applies the workspace's own biome (its settings, its version) to `dir`, when it is installed: formatting
 * and the safe fixes of `biome check --write`, which include organizing imports. Both depend on the
 * connector's name, so no template can be written lint-clean for every name: a long name pushes lines past
 * the line width, and where `./<name>-config` sorts against `./items-stream`, or `parse<Name>Config`
 * against `<NAME>_CONFIG_SCHEMA`, depends on the name's first letters. Resolves true only when biome ran
 * and left nothing to report; false when it is not installed yet or found something it cannot fix, which
 * leaves the files as generated (valid code that may need that same command).
 */
export function fixWithWorkspaceBiome(workspaceRoot: string, dir: string): boolean {
  const biome = join(workspaceRoot, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(biome)) return false;
  try {
    execFileSync(process.execPath, [biome, 'check', '--write', dir], {
      cwd: workspaceRoot,
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}
