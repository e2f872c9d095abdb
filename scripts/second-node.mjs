// The second Node.js that `pnpm check` runs every test on: Node 24 LTS, installed from the package
// registry npm already reaches (the `node` package, whose binary ships in a platform package), into
// node_modules/.cache so that a fresh clone needs nothing else and a second check reuses it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.mjs';

/** The major version CI tests besides the one running this script. */
export const secondNodeMajor = 24;

const installDir = join(root, 'node_modules', '.cache', `node-${secondNodeMajor}`);
const binDir = join(installDir, 'node_modules', '.bin');

function versionOf(nodePath) {
  const probe = spawnSync(nodePath, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * `{ binDir, version }` of Node `secondNodeMajor`, installed when missing; `{ skipped }` saying why not
 * (already running on it, turned off with SDK_CHECK_SECOND_NODE=0) or `{ error }` when it cannot be had.
 */
export function secondNode() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by the root check script, never by a turbo task
  if (process.env.SDK_CHECK_SECOND_NODE === '0') return { skipped: 'SDK_CHECK_SECOND_NODE=0' };
  if (process.versions.node.split('.')[0] === String(secondNodeMajor)) {
    return { skipped: `this check already runs on Node ${process.version}` };
  }
  const nodePath = join(binDir, 'node');
  let version = existsSync(nodePath) ? versionOf(nodePath) : undefined;
  if (version === undefined || !version.startsWith(`v${secondNodeMajor}.`)) {
    console.log(
      `\nInstalling Node ${secondNodeMajor} (npm package node@${secondNodeMajor}) for the second test pass...`,
    );
    mkdirSync(installDir, { recursive: true });
    writeFileSync(join(installDir, 'package.json'), '{ "private": true }\n');
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', `node@${secondNodeMajor}`],
      { cwd: installDir, stdio: 'inherit' },
    );
    version = install.status === 0 && existsSync(nodePath) ? versionOf(nodePath) : undefined;
    if (version === undefined) return { error: `npm could not install node@${secondNodeMajor}` };
  }
  return { binDir, version };
}
