// Shared by the root scripts: the workspace's packages, read from disk.
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
