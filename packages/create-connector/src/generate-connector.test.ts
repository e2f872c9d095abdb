import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConnectorNameError } from './errors/invalid-connector-name-error';
import { TargetExistsError } from './errors/target-exists-error';
import { UnknownKindError } from './errors/unknown-kind-error';
import { UsageError } from './errors/usage-error';
import { generateConnector } from './generate-connector';

describe('generateConnector', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'create-connector-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // The markers of the @sdk monorepo, without its packages: enough for workspace mode.
  const fakeWorkspace = (): string => {
    const root = join(dir, 'repo');
    mkdirSync(join(root, 'packages'), { recursive: true });
    for (const file of ['pnpm-workspace.yaml', 'tsconfig.base.json', 'jest.config.base.js'])
      writeFileSync(join(root, file), '');
    return root;
  };

  it('outside a workspace, writes a standalone project into ./<name> with published ranges', () => {
    const generated = generateConnector({ name: 'acme-orders', kind: 'stream', cwd: dir });
    expect(generated.mode).toBe('standalone');
    expect(generated.targetDir).toBe(join(dir, 'acme-orders'));
    expect(generated.workspaceRoot).toBeUndefined();
    for (const file of generated.files) expect(existsSync(join(generated.targetDir, file))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(generated.targetDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@sdk/stream-cdk']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(generated.nextSteps).toEqual(['npm install', 'npm run build', 'npm test']);
    expect(generated.engines).toEqual([]);
  });

  it('with engines, reports the engines that got a bin and gives them published ranges', () => {
    const generated = generateConnector({
      name: 'acme-orders',
      kind: 'datasource',
      cwd: dir,
      engines: ['panoply', 'amp', 'airbyte'],
    });
    expect(generated.engines).toEqual(['airbyte', 'amp']);
    expect(generated.files).toEqual(
      expect.arrayContaining(['src/bin/acme-orders-airbyte.ts', 'src/bin/acme-orders-amp.ts']),
    );
    const manifest = JSON.parse(readFileSync(join(generated.targetDir, 'package.json'), 'utf8'));
    for (const name of [
      '@sdk/datasource-bridge',
      '@sdk/amp-input-tool',
      '@sdk/transport-grpc',
      '@sdk/stream-cdk',
    ])
      expect(manifest.dependencies[name]).toMatch(/^\^\d+\.\d+\.\d+/);
  });

  it('inside the monorepo, from any folder in it, writes connectors/<name> wired with workspace:^', () => {
    const root = fakeWorkspace();
    const deep = join(root, 'packages', 'somewhere');
    mkdirSync(deep);
    const generated = generateConnector({ name: 'acme-orders', kind: 'plugin', cwd: deep });
    expect(generated.mode).toBe('workspace');
    expect(generated.workspaceRoot).toBe(root);
    expect(generated.targetDir).toBe(join(root, 'connectors', 'acme-orders'));
    const manifest = JSON.parse(readFileSync(join(generated.targetDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({
      '@sdk/arrow-chunker': 'workspace:^',
      '@sdk/transport-grpc': 'workspace:^',
      'apache-arrow': 'catalog:',
    });
    // No biome installed in this fake workspace: the next steps say how to format.
    expect(generated.formatted).toBe(false);
    expect(generated.nextSteps).toContain('pnpm exec biome check --write connectors/acme-orders');
  });

  it('treats another project’s pnpm workspace as standalone', () => {
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
    const generated = generateConnector({ name: 'acme', kind: 'datasource', cwd: dir });
    expect(generated.mode).toBe('standalone');
    expect(generated.targetDir).toBe(join(dir, 'acme'));
  });

  it('refuses an existing directory and leaves it untouched', () => {
    const existing = join(dir, 'acme');
    mkdirSync(existing);
    writeFileSync(join(existing, 'keep.txt'), 'mine');
    let thrown: unknown;
    try {
      generateConnector({ name: 'acme', kind: 'flow', cwd: dir });
    } catch (error) {
      thrown = error;
    }
    expect(TargetExistsError.isInstance(thrown)).toBe(true);
    expect((thrown as TargetExistsError).code).toBe('CREATE_CONNECTOR_TARGET_EXISTS');
    expect((thrown as TargetExistsError).targetDir).toBe(existing);
    expect(readdirSync(existing)).toEqual(['keep.txt']);
  });

  it('writes nothing for a bad name or kind', () => {
    expect(() => generateConnector({ name: 'Acme', kind: 'stream', cwd: dir })).toThrow(
      InvalidConnectorNameError,
    );
    expect(() => generateConnector({ name: 'acme', kind: 'sink', cwd: dir })).toThrow(UnknownKindError);
    expect(() => generateConnector({ name: 'acme', kind: 'flow', cwd: dir, engines: 'amp' })).toThrow(
      UsageError,
    );
    expect(() => generateConnector({ name: 'acme', kind: 'stream', cwd: dir, engines: 'amp,x' })).toThrow(
      UsageError,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
