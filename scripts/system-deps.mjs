#!/usr/bin/env node
// System packages that some tests need and npm cannot provide: PostgreSQL's server binaries, for the
// Postgres connector's tests against a real server. Installs them with apt-get when they are missing
// and this process may (root on Debian or Ubuntu, as in CI); otherwise says how to get them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function findInitdb() {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'initdb'));
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map((version) =>
        join('/usr/lib/postgresql', version, 'bin', 'initdb'),
      )
    : [];
  return [...onPath, ...debian].find((candidate) => existsSync(candidate));
}

if (findInitdb()) process.exit(0);

const canInstall =
  process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!canInstall) {
  console.warn(
    'PostgreSQL server binaries (initdb) were not found, so the Postgres connector tests will fail.\n' +
      'Install them with `sudo apt-get install postgresql` (or your system’s PostgreSQL server package).',
  );
  process.exit(0);
}

console.log(
  'Installing PostgreSQL server binaries (apt-get install postgresql) for the Postgres connector tests...',
);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const install =
  update.status === 0
    ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
        stdio: 'inherit',
        env,
      })
    : update;
if (install.status !== 0 || !findInitdb()) {
  console.warn('Could not install PostgreSQL; the Postgres connector tests will fail.');
}
