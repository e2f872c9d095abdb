#!/usr/bin/env node
// Runs before `changeset version` (`pnpm version-packages`). @sdk/create-connector writes the @sdk ranges
// of a new project from its own devDependencies, which publishing rewrites from `workspace:^` into the
// versions released with it. Changesets never bumps a package for a devDependency's release, so without
// this a minor release of @sdk/stream-cdk would leave the generator unpublished, and `npm create
// @sdk/connector` would keep writing the old range. When a pending changeset releases one of those
// packages (or a package they depend on, whose release can cascade into them) and none releases the
// generator, this adds a patch changeset for it. Prints what it did; changes nothing otherwise.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, workspacePackages } from './workspace.mjs';

const GENERATOR = '@sdk/create-connector';
const ADDED_FILE = 'create-connector-follows-sdk-release.md';
const changesetDir = join(root, '.changeset');

/** `{ package: bump }` of one changeset file's front matter (`"@sdk/x": minor` lines). */
function releasesOf(text) {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const releases = new Map();
  for (const line of frontMatter.split(/\r?\n/)) {
    const match = /^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line);
    if (match) releases.set(match[1], match[2]);
  }
  return releases;
}

const manifests = new Map(workspacePackages().map(({ manifest }) => [manifest.name, manifest]));
const generator = manifests.get(GENERATOR);
if (generator === undefined) throw new Error(`${GENERATOR} is not in this workspace`);

// The generator's workspace devDependencies and, transitively, the workspace packages they depend on.
const followed = new Set();
const visit = (name) => {
  if (followed.has(name)) return;
  followed.add(name);
  const manifest = manifests.get(name);
  for (const dependency of Object.keys({ ...manifest?.dependencies, ...manifest?.peerDependencies })) {
    if (manifests.has(dependency)) visit(dependency);
  }
};
for (const [dependency, range] of Object.entries(generator.devDependencies ?? {})) {
  if (range.startsWith('workspace:')) visit(dependency);
}

const released = new Set();
let generatorReleased = false;
const files = existsSync(changesetDir)
  ? readdirSync(changesetDir).filter((file) => file.endsWith('.md'))
  : [];
for (const file of files.filter((name) => name !== 'README.md' && name !== ADDED_FILE)) {
  for (const [name, bump] of releasesOf(readFileSync(join(changesetDir, file), 'utf8'))) {
    if (bump === 'none') continue;
    if (name === GENERATOR) generatorReleased = true;
    else if (followed.has(name)) released.add(name);
  }
}

if (generatorReleased || released.size === 0) {
  console.log(
    generatorReleased
      ? `${GENERATOR}: released by a pending changeset already.`
      : `${GENERATOR}: no pending release of the packages it writes ranges for.`,
  );
} else {
  const names = [...released].sort();
  writeFileSync(
    join(changesetDir, ADDED_FILE),
    [
      '---',
      `"${GENERATOR}": patch`,
      '---',
      '',
      `New projects depend on the @sdk versions released with this one (this release brings new versions of ${names.join(', ')}).`,
      '',
    ].join('\n'),
  );
  console.log(`${GENERATOR}: added .changeset/${ADDED_FILE} (patch), for ${names.join(', ')}.`);
}
