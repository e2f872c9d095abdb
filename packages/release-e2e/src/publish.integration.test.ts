import { type ExecFileOptions, execFile } from 'node:child_process';
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
import { type LocalRegistry, startLocalRegistry } from './local-registry';

const execFileAsync = promisify(execFile);

/** Runs a command; a failure reports what the command printed, not only that it failed. */
async function run(command: string, args: string[], options: ExecFileOptions = {}) {
  try {
    return await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024, ...options, encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stderr}\n${stdout}`.trim(), { cause: error });
  }
}
const repoRoot = resolve(__dirname, '../../..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

const workspaceDirs = ['packages', 'connectors'].flatMap((group) =>
  existsSync(join(repoRoot, group))
    ? readdirSync(join(repoRoot, group))
        .map((name) => join(group, name))
        .filter((dir) => existsSync(join(repoRoot, dir, 'package.json')))
    : [],
);
const publicPackages = workspaceDirs
  .map((dir) => ({ dir, manifest: readManifest(join(repoRoot, dir)) }))
  .filter(({ manifest }) => manifest.private !== true);
const privatePackages = workspaceDirs
  .map((dir) => ({ dir, manifest: readManifest(join(repoRoot, dir)) }))
  .filter(({ manifest }) => manifest.private === true);

/** The @sdk packages `name` pulls in at run time, itself included. */
function sdkClosure(name: string): string[] {
  const found = new Set<string>();
  const visit = (packageName: string) => {
    if (found.has(packageName)) return;
    found.add(packageName);
    const entry = publicPackages.find(({ manifest }) => manifest.name === packageName);
    for (const dependency of Object.keys(entry?.manifest.dependencies ?? {})) {
      if (dependency.startsWith('@sdk/')) visit(dependency);
    }
  };
  visit(name);
  return [...found].sort();
}

it('depends on every public package, so turbo builds them all before this test runs', () => {
  const ownDevDependencies = Object.keys(readManifest(join(__dirname, '..')).devDependencies ?? {});
  expect(
    publicPackages.map(({ manifest }) => manifest.name).filter((name) => !ownDevDependencies.includes(name)),
  ).toEqual([]);
});

let work: string;
let copy: string;
let registry: LocalRegistry;
const changesetSummary = 'Release rehearsal from the end-to-end publishing test.';

async function inCopy(command: string, args: string[], cwd = copy) {
  return run(command, args, { cwd, env: { ...process.env, CI: 'true' } });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sdk-release-e2e-'));
  registry = await startLocalRegistry(join(work, 'registry'));

  // A copy of the repository as committed (plus the built packages), so that versioning and
  // publishing never touch the working tree the test runs from.
  copy = join(work, 'repo');
  const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(copy, file));
  }
  for (const { dir } of publicPackages) {
    cpSync(join(repoRoot, dir, 'dist'), join(copy, dir, 'dist'), { recursive: true });
  }

  writeFileSync(
    join(copy, '.changeset', 'release-e2e-rehearsal.md'),
    `---\n${publicPackages.map(({ manifest }) => `"${manifest.name}": minor`).join('\n')}\n---\n\n${changesetSummary}\n`,
  );
  const changesetBin = join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js');
  await inCopy(process.execPath, [changesetBin, 'version']);

  // pnpm publish replaces `workspace:^` with the linked package's version, so the copy needs its
  // links; everything comes from the local store, nothing from the network.
  await inCopy('pnpm', ['install', '--offline', '--no-frozen-lockfile', '--ignore-scripts']);

  writeFileSync(join(copy, '.npmrc'), registry.npmrc);
  for (const { dir } of publicPackages) {
    await inCopy(
      'pnpm',
      ['publish', '--no-git-checks', '--access', 'public', '--registry', registry.url],
      join(copy, dir),
    );
  }
});

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('changesets', () => {
  it('bumps every public package and writes its changelog', () => {
    for (const { dir, manifest } of publicPackages) {
      const versioned = readManifest(join(copy, dir));
      expect(versioned.version).not.toBe(manifest.version);
      expect(readFileSync(join(copy, dir, 'CHANGELOG.md'), 'utf8')).toContain(changesetSummary);
    }
  });

  it('never versions private packages (connectors, internal tests)', () => {
    for (const { dir, manifest } of privatePackages) {
      expect(readManifest(join(copy, dir)).version).toBe(manifest.version);
      expect(existsSync(join(copy, dir, 'CHANGELOG.md'))).toBe(false);
    }
  });
});

describe.each(publicPackages.map(({ dir, manifest }) => [manifest.name, dir] as const))(
  '%s installed on its own outside the workspace',
  (name, dir) => {
    let consumer: string;

    beforeAll(async () => {
      const version = readManifest(join(copy, dir)).version;
      consumer = join(work, `consumer-${name.replace(/[@/]/g, '_')}`);
      mkdirSync(consumer, { recursive: true });
      writeFileSync(
        join(consumer, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true }, null, 2),
      );
      writeFileSync(join(consumer, '.npmrc'), registry.npmrc);
      // @types/node is what any TypeScript-on-Node project already has; the package itself must bring the rest.
      await run(
        'npm',
        [
          'install',
          `${name}@${version}`,
          '@types/node@20.19.43',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
        ],
        {
          cwd: consumer,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
    });

    it('brings only its own dependencies', () => {
      const installedSdk = readdirSync(join(consumer, 'node_modules', '@sdk')).map(
        (entry) => `@sdk/${entry}`,
      );
      expect(installedSdk.sort()).toEqual(sdkClosure(name));
      const manifest = readManifest(join(repoRoot, dir));
      const runtime = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      // @types/node is installed alongside on purpose (see beforeAll), so it proves nothing here.
      const devOnly = Object.keys(manifest.devDependencies ?? {}).filter(
        (dependency) => !runtime.has(dependency) && dependency !== '@types/node',
      );
      for (const dependency of devOnly) {
        expect({ dependency, installed: existsSync(join(consumer, 'node_modules', dependency)) }).toEqual({
          dependency,
          installed: false,
        });
      }
    });

    it.each(['minimal.cjs', 'minimal.mjs'])('runs a minimal connector from %s', async (example) => {
      // Each package's examples/ holds one connector and two entry points that load the package
      // through require() and through import, as a user's code would.
      const examples = join(repoRoot, dir, 'examples');
      expect(existsSync(join(examples, example))).toBe(true);
      cpSync(examples, join(consumer, 'examples'), { recursive: true });
      const { stdout } = await run(process.execPath, [join('examples', example)], { cwd: consumer });
      expect(stdout).toMatch(/\S/);
    });

    it('resolves its types from both CommonJS and ESM', async () => {
      writeFileSync(
        join(consumer, 'check.cts'),
        `import * as api from '${name}';\nexport const names: string[] = Object.keys(api);\n`,
      );
      writeFileSync(
        join(consumer, 'check.mts'),
        `import * as api from '${name}';\nexport const names: string[] = Object.keys(api);\n`,
      );
      writeFileSync(
        join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'node16',
            moduleResolution: 'node16',
            types: ['node'],
          },
          files: ['check.cts', 'check.mts'],
        }),
      );
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      await expect(
        run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer }),
      ).resolves.toBeDefined();
    });
  },
);

describe('npm create @sdk/connector from the registry', () => {
  it('writes the ranges of the @sdk versions published with it', async () => {
    // generator-follows-sdk.integration.test.ts proves that releasing any of these releases the
    // generator too; this proves that the published generator then writes the published versions.
    const version = readManifest(join(copy, 'packages', 'create-connector')).version;
    const dir = join(work, 'npm-create');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.npmrc'), registry.npmrc);
    await run(
      'npm',
      [
        'create',
        `@sdk/connector@${version}`,
        '--yes',
        '--prefer-offline',
        '--',
        'acme-feed',
        '--kind',
        'stream',
      ],
      { cwd: dir },
    );
    const generated = readManifest(join(dir, 'acme-feed'));
    const sdkRanges = Object.entries(generated.dependencies ?? {}).filter(([name]) =>
      name.startsWith('@sdk/'),
    );
    expect(sdkRanges.map(([name]) => name)).toContain('@sdk/stream-cdk');
    for (const [name, range] of sdkRanges) {
      const published = publicPackages.find(({ manifest }) => manifest.name === name);
      expect({ name, range }).toEqual({
        name,
        range: `^${readManifest(join(copy, published?.dir ?? name)).version}`,
      });
    }
  });
});
