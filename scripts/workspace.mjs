// Shared by the root scripts: the workspace's packages, read from disk, and building them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every workspace package under packages/ and connectors/, as { dir, manifest }. */
export function workspacePackages() {
  const found = [];
  for (const group of ['packages', 'connectors']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const manifestPath = join(groupDir, name, 'package.json');
      if (existsSync(manifestPath)) {
        found.push({ dir: join(groupDir, name), manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) });
      }
    }
  }
  return found;
}

/** Environment for child tools: no turbo telemetry banner in anyone's logs. */
export const toolEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

/** Builds every package (turbo replays what has not changed); exits the process if the build fails. */
export function buildWorkspaceOrExit() {
  const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    env: toolEnv,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
