import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COPIED_PACKAGES, copyWorkspace } from './__fixtures__/workspace-copy';
import { PACKAGE_ROOT } from './internal/package-root';
import { runCreateConnectorCli } from './run-create-connector-cli';

// Several connectors of each kind, generated into a copy of this monorepo, then installed, built, type-checked,
// tested, linted and layer-checked there with the repository's own commands.
//
// The copy holds what a clean checkout holds (git's tracked and new files), plus the @sdk packages'
// built dist/ with their timestamps, so `tsc -b` finds them up to date. Dependencies come from a
// `pnpm install --prefer-offline` in the copy: pnpm hard-links them from the store this checkout was
// installed from, which takes seconds and gives every package its own node_modules exactly as in a real
// checkout (a symlinked node_modules would give the generated connectors none of their own).
// Not `--offline`: resolving the new projects' dependencies needs registry metadata, and a checkout
// installed from its lockfile alone (as on a clean CI machine) has none cached; pnpm fetches only the
// metadata it lacks (a handful of documents), and no package the store already holds.
const workspaceRoot = join(PACKAGE_ROOT, '..', '..');
// Names chosen to catch clashes with the identifiers the templates import or declare (`ItemsStream`,
// `SourceParams`, `SdkPlugin`) and, with the long one, lines the workspace's biome has to re-wrap. Each
// kind also gets names that sort before and after the modules and identifiers they are imported next to
// (`./items-stream`, `parse<Name>Config`, `type <Name>Config`): the import order biome wants depends on
// the name, and a template written for one name fails `biome check` for another. `my-source` is the
// README's example.
const connectors = [
  ['accounts', 'stream'],
  ['items', 'stream'],
  ['my-source', 'stream'],
  ['zebra-events', 'stream'],
  ['acme-capture-with-a-rather-long-descriptive-name', 'flow'],
  ['zebra-capture', 'flow'],
  ['billing', 'datasource'],
  ['source', 'datasource'],
  ['audit', 'plugin'],
  ['sdk', 'plugin'],
] as const;

// Child tools must not inherit the outer pnpm/turbo run's settings (this test itself runs under them),
// nor CI's (which would make pnpm insist on an existing lockfile).
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|turbo_)/i.test(key) && !['CI', 'INIT_CWD'].includes(key)) env[key] = value;
  }
  return env;
}

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd,
    env: childEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('generated connectors in a copy of the workspace', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'create-connector-workspace-'));
    copyWorkspace(workspaceRoot, copy);
  });
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('several names of each kind build, type-check, pass their tests, lint and the layer check', async () => {
    // As in a real checkout: the workspace is installed (so its biome formats the new files), the
    // connectors are generated, then installed.
    const install = () => {
      const result = run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile=false'], copy);
      expect(result.status === 0 ? 'ok' : result.output).toBe('ok');
    };
    install();
    for (const [name, kind] of connectors) {
      let stdout = '';
      let stderr = '';
      const code = await runCreateConnectorCli([name, '--kind', kind], {
        cwd: join(copy, 'packages'),
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: '' });
      expect(stdout).toContain(`in ../connectors/${name} (workspace,`);
      expect(stdout).toContain('Next, from ..:');
      expect(stdout).not.toContain('biome check');
    }
    expect(readdirSync(join(copy, 'connectors')).sort()).toEqual(
      ['README.md', ...connectors.map(([name]) => name)].sort(),
    );
    install();

    const turbo = run(
      'pnpm',
      ['turbo', 'run', 'build', 'typecheck', 'test', '--filter=./connectors/*', '--output-logs=errors-only'],
      copy,
    );
    expect(turbo.status === 0 ? 'ok' : turbo.output).toBe('ok');
    for (const [name] of connectors) {
      const results = JSON.parse(readFileSync(join(copy, 'connectors', name, '.jest-results.json'), 'utf8'));
      expect({ name, failed: results.failed, passed: results.passed > 0 }).toEqual({
        name,
        failed: 0,
        passed: true,
      });
    }

    const lint = run('pnpm', ['exec', 'biome', 'check', 'connectors'], copy);
    expect(lint.status === 0 ? 'ok' : lint.output).toBe('ok');
    const layers = run(process.execPath, [join('scripts', 'check-layers.mjs')], copy);
    expect(layers.status === 0 ? 'ok' : layers.output).toBe('ok');
    // The copy is not a git repository: nothing above wrote to this checkout.
    const status = execFileSync('git', ['status', '--porcelain', '--', 'connectors'], { cwd: workspaceRoot });
    for (const [name] of connectors) expect(status.toString()).not.toContain(`connectors/${name}/`);
  }, 600_000);

  it('outside a workspace, stream and plugin projects build and pass their tests on published packages', async () => {
    await buildStandalone('outside', [
      ['acme-orders', 'stream'],
      ['acme-transform', 'plugin'],
    ]);
  }, 180_000);

  // --engines: the generated bins, their dependencies and their engine tests, one case per kind that
  // takes the option. The datasource is served to every engine inside the workspace (bins airbyte, flow
  // and amp; panoply is its own), the stream to AMP and the Panoply-style runner on published packages.
  it('with --engines, a datasource served to every engine builds, passes its engine tests, lint and layers', async () => {
    const name = 'orders';
    // Installed before generating too (as in a real checkout), so that the workspace's biome formats the files.
    const install = () => {
      const result = run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile=false'], copy);
      expect(result.status === 0 ? 'ok' : result.output).toBe('ok');
    };
    install();
    let stderr = '';
    const code = await runCreateConnectorCli(
      [name, '--kind', 'datasource', '--engines', 'airbyte,flow,amp,panoply'],
      {
        cwd: copy,
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
      },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    install();
    const turbo = run(
      'pnpm',
      [
        'turbo',
        'run',
        'build',
        'typecheck',
        'test',
        `--filter=./connectors/${name}`,
        '--output-logs=errors-only',
      ],
      copy,
    );
    expect(turbo.status === 0 ? 'ok' : turbo.output).toBe('ok');
    const suites = readdirSync(join(copy, 'connectors', name, 'src')).filter((file) =>
      file.endsWith('.integration.test.ts'),
    );
    expect(suites.sort()).toEqual(
      ['airbyte', 'amp', 'cli', 'flow'].map((suite) => `${name}-${suite}.integration.test.ts`),
    );
    const results = JSON.parse(readFileSync(join(copy, 'connectors', name, '.jest-results.json'), 'utf8'));
    expect({ suites: results.suites, failedSuites: results.failedSuites }).toEqual({
      suites: 4,
      failedSuites: [],
    });
    expect(results.passed).toBeGreaterThan(0);
    expect(results.failed).toBe(0);
    const lint = run('pnpm', ['exec', 'biome', 'check', join('connectors', name)], copy);
    expect(lint.status === 0 ? 'ok' : lint.output).toBe('ok');
    const layers = run(process.execPath, [join('scripts', 'check-layers.mjs')], copy);
    expect(layers.status === 0 ? 'ok' : layers.output).toBe('ok');
  }, 300_000);

  it('with --engines amp,panoply, a stream project builds and passes its engine tests on published packages', async () => {
    await buildStandalone('engines', [['acme-feed', 'stream', 'amp,panoply']], (dir, manifest) => {
      expect(Object.keys(manifest.bin)).toEqual(['acme-feed', 'acme-feed-amp', 'acme-feed-panoply']);
      expect(Object.keys(manifest.dependencies).sort()).toEqual([
        '@sdk/amp-input-tool',
        '@sdk/datasource',
        '@sdk/datasource-bridge',
        '@sdk/stream-cdk',
        '@sdk/transport-grpc',
        'apache-arrow',
      ]);
      const suites = readdirSync(join(dir, 'src')).filter((file) => file.endsWith('.integration.test.ts'));
      expect(suites.sort()).toEqual([
        'acme-feed-amp.integration.test.ts',
        'acme-feed-cli.integration.test.ts',
        'acme-feed-panoply.integration.test.ts',
      ]);
    });
  }, 300_000);

  /**
   * Generates each `[name, kind, engines?]` outside any workspace, installs it against the @sdk packages
   * packed as publishing packs them, then builds, type-checks and tests it; `check` sees each manifest.
   */
  async function buildStandalone(
    suffix: string,
    projects: readonly (readonly [string, string, string?])[],
    check?: (dir: string, manifest: { bin: object; dependencies: object }) => void,
  ): Promise<void> {
    const outside = join(copy, '..', `${copy.split(/[\\/]/).pop()}-${suffix}`);
    const tarballs = join(outside, 'tarballs');
    mkdirSync(tarballs, { recursive: true });
    try {
      // Packed exactly as publishing packs them (workspace: and catalog: ranges rewritten); the pnpm
      // overrides below stand in for the registry, which does not have them.
      const overrides: Record<string, string> = {};
      for (const name of COPIED_PACKAGES) {
        const pack = run(
          'pnpm',
          ['pack', '--pack-destination', tarballs],
          join(workspaceRoot, 'packages', name),
        );
        expect(pack.status === 0 ? 'ok' : pack.output).toBe('ok');
      }
      for (const file of readdirSync(tarballs)) {
        const name = `@sdk/${file.replace(/^sdk-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
        overrides[name] = `file:${join(tarballs, file)}`;
      }
      for (const [name, kind, engines] of projects) {
        const args =
          engines === undefined ? [name, '--kind', kind] : [name, '--kind', kind, '--engines', engines];
        const code = await runCreateConnectorCli(args, {
          cwd: outside,
          stdout: { write: () => true },
          stderr: { write: () => true },
        });
        expect(code).toBe(0);
        const dir = join(outside, name);
        const manifestPath = join(dir, 'package.json');
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
        for (const range of Object.values<string>(manifest.dependencies))
          expect(range).toMatch(/^\^\d+\.\d+\.\d+/);
        check?.(dir, manifest);
        writeFileSync(manifestPath, JSON.stringify({ ...manifest, pnpm: { overrides } }));
        for (const step of [
          ['install', '--prefer-offline', '--frozen-lockfile=false'],
          ['run', 'build'],
          ['run', 'typecheck'],
          ['test'],
        ]) {
          const result = run('pnpm', step, dir);
          expect(result.status === 0 ? `${name}: ok` : `${name}: ${step.join(' ')}\n${result.output}`).toBe(
            `${name}: ok`,
          );
        }
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  }
});
