import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

// A release of an @sdk package alone must release @sdk/create-connector too, or `npm create
// @sdk/connector` keeps writing the old range into new projects: the generator takes its ranges from its
// devDependencies, which changesets does not follow. `pnpm version-packages` runs
// scripts/changeset-generator-follows-sdk.mjs before `changeset version` for that; this runs both on a
// copy of the repository holding a single minor changeset for @sdk/stream-cdk. (publish.integration.test.ts
// proves the other half: the published generator writes the ranges of the versions published with it.)
const execFileAsync = promisify(execFile);
const repoRoot = resolve(__dirname, '../../..');
const changesetBin = join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js');

async function node(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, args, { cwd, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`node ${args.join(' ')} failed:\n${stderr}\n${stdout}`.trim(), { cause: error });
  }
}

const versionOf = (root: string, dir: string): string =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;

let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sdk-generator-follows-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The repository's tracked files (and the generator's build) in `work/repo`, with only `changesets` pending. */
async function copyWithChangesets(changesets: Record<string, string>): Promise<string> {
  const copy = join(work, 'repo');
  const { stdout } = await execFileAsync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(repoRoot, file))) continue;
    if (file.startsWith('.changeset/') && file.endsWith('.md') && file !== '.changeset/README.md') continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(copy, file));
  }
  cpSync(
    join(repoRoot, 'packages', 'create-connector', 'dist'),
    join(copy, 'packages', 'create-connector', 'dist'),
    {
      recursive: true,
    },
  );
  for (const [name, text] of Object.entries(changesets)) writeFileSync(join(copy, '.changeset', name), text);
  return copy;
}

/** What `pnpm version-packages` does to versions: the follow-up script, then `changeset version`. */
async function versionPackages(copy: string): Promise<string> {
  const printed = await node([join('scripts', 'changeset-generator-follows-sdk.mjs')], copy);
  await node([changesetBin, 'version'], copy);
  return printed;
}

it('a minor release of @sdk/stream-cdk alone releases the generator, which writes the new range', async () => {
  const copy = await copyWithChangesets({
    'stream-cdk-feature.md': '---\n"@sdk/stream-cdk": minor\n---\n\nA feature.\n',
  });
  const before = {
    streamCdk: versionOf(copy, 'packages/stream-cdk'),
    generator: versionOf(copy, 'packages/create-connector'),
  };
  expect(await versionPackages(copy)).toContain('added .changeset/create-connector-follows-sdk-release.md');

  const streamCdk = versionOf(copy, 'packages/stream-cdk');
  const generator = versionOf(copy, 'packages/create-connector');
  const [major, minor] = before.streamCdk.split('.').map(Number) as [number, number];
  expect(streamCdk).toBe(`${major}.${minor + 1}.0`);
  expect(generator).not.toBe(before.generator);
  expect(readFileSync(join(copy, 'packages', 'create-connector', 'CHANGELOG.md'), 'utf8')).toContain(
    'this release brings new versions of @sdk/stream-cdk',
  );

  // The versioned checkout's generator, run outside any workspace, writes the new range.
  const outside = join(work, 'outside');
  mkdirSync(outside);
  await node(
    [join(copy, 'packages', 'create-connector', 'bin', 'create-connector.js'), 'acme', '--kind', 'stream'],
    outside,
  );
  const generated = JSON.parse(readFileSync(join(outside, 'acme', 'package.json'), 'utf8'));
  expect(generated.dependencies['@sdk/stream-cdk']).toBe(`^${streamCdk}`);
});

it('adds nothing when the generator is released anyway, or when no package it writes ranges for is', async () => {
  const copy = await copyWithChangesets({
    'both.md': '---\n"@sdk/stream-cdk": minor\n"@sdk/create-connector": minor\n---\n\nBoth.\n',
  });
  expect(await node([join('scripts', 'changeset-generator-follows-sdk.mjs')], copy)).toContain(
    'released by a pending changeset already',
  );
  rmSync(join(copy, '.changeset', 'both.md'));
  // duckdb-sync is no dependency of a generated project, nor of the packages it depends on.
  writeFileSync(join(copy, '.changeset', 'duckdb.md'), "---\n'@sdk/duckdb-sync': patch\n---\n\nA fix.\n");
  expect(await node([join('scripts', 'changeset-generator-follows-sdk.mjs')], copy)).toContain(
    'no pending release of the packages it writes ranges for',
  );
  expect(readdirSync(join(copy, '.changeset')).filter((file) => file.startsWith('create-connector'))).toEqual(
    [],
  );
});
