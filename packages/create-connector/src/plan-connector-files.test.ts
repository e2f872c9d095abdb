import { CONNECTOR_KINDS, type ConnectorKind } from './connector-kinds';
import { InvalidConnectorNameError } from './errors/invalid-connector-name-error';
import { TemplateError } from './errors/template-error';
import { UnknownKindError } from './errors/unknown-kind-error';
import { UsageError } from './errors/usage-error';
import type { GenerationMode } from './generation-mode';
import { type PlannedFile, planConnectorFiles } from './plan-connector-files';

const WORKSPACE_VERSIONS = {
  '@sdk/amp-input-tool': 'workspace:^',
  '@sdk/arrow-chunker': 'workspace:^',
  '@sdk/datasource-bridge': 'workspace:^',
  '@sdk/datasource': 'workspace:^',
  '@sdk/flow-shim': 'workspace:^',
  '@sdk/stream-cdk': 'workspace:^',
  '@sdk/transport-grpc': 'workspace:^',
  'apache-arrow': 'catalog:',
  typescript: '6.0.3',
};
const STANDALONE_VERSIONS = {
  '@sdk/amp-input-tool': '^1.7.0',
  '@sdk/arrow-chunker': '^1.2.0',
  '@sdk/datasource-bridge': '^1.8.0',
  '@sdk/datasource': '^1.3.0',
  '@sdk/flow-shim': '^1.4.0',
  '@sdk/stream-cdk': '^1.5.0',
  '@sdk/transport-grpc': '^1.6.0',
  'apache-arrow': '^21.2.0',
  '@types/jest': '30.0.0',
  '@types/node': '20.19.43',
  jest: '30.5.2',
  'ts-jest': '29.4.15',
  typescript: '6.0.3',
};

function plan(
  kind: string,
  mode: GenerationMode,
  name = 'acme-orders',
  engines?: string | readonly string[],
): PlannedFile[] {
  const dependencyVersions = mode === 'workspace' ? WORKSPACE_VERSIONS : STANDALONE_VERSIONS;
  return planConnectorFiles({
    name,
    kind,
    mode,
    dependencyVersions,
    ...(engines === undefined ? {} : { engines }),
  });
}

function fileOf(files: PlannedFile[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no ${path} among ${files.map((each) => each.path).join(', ')}`);
  return file.contents;
}

const kinds = CONNECTOR_KINDS.map((definition) => definition.kind);
const modes: GenerationMode[] = ['workspace', 'standalone'];
const cases = kinds.flatMap((kind) => modes.map((mode): [ConnectorKind, GenerationMode] => [kind, mode]));

describe('planConnectorFiles', () => {
  it.each(cases)('%s, %s: the manifest depends on exactly the layers of its kind', (kind, mode) => {
    const files = plan(kind, mode);
    const manifest = JSON.parse(fileOf(files, 'package.json'));
    const definition = CONNECTOR_KINDS.find((candidate) => candidate.kind === kind)!;
    const versions: Record<string, string> = mode === 'workspace' ? WORKSPACE_VERSIONS : STANDALONE_VERSIONS;
    const expected = Object.fromEntries(
      [...definition.sdkPackages, ...definition.otherDependencies].map((name) => [name, versions[name]]),
    );
    expect(manifest.dependencies).toEqual(expected);
    expect(manifest.name).toBe(mode === 'workspace' ? '@connectors/acme-orders' : 'acme-orders');
    expect(manifest.private).toBe(true);
    expect(manifest.bin).toEqual({ 'acme-orders': './dist/bin/acme-orders.js' });
    expect(Object.keys(manifest.devDependencies).sort()).toEqual(
      mode === 'workspace' ? ['typescript'] : ['@types/jest', '@types/node', 'jest', 'ts-jest', 'typescript'],
    );
  });

  it.each(cases)('%s, %s: every placeholder is filled and every file name is kebab-case', (kind, mode) => {
    for (const file of plan(kind, mode)) {
      expect(file.contents).not.toMatch(/\{\{\s*[A-Za-z][A-Za-z0-9]*\s*\}\}/);
      for (const segment of file.path.split('/')) {
        // `__fixtures__`, dotfiles and config names aside, every name is kebab-case words.
        if (segment === '__fixtures__' || segment.startsWith('.') || segment === 'README.md') continue;
        expect(segment).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)*$/);
      }
    }
  });

  it.each(kinds)('%s: tests run the real entry point, src/bin/<name>.ts', (kind) => {
    const files = plan(kind, 'workspace');
    const paths = files.map((file) => file.path);
    expect(paths).toContain('src/bin/acme-orders.ts');
    expect(paths).toContain('src/index.ts');
    expect(paths.some((path) => path.endsWith('.integration.test.ts'))).toBe(true);
    expect(fileOf(files, 'src/__fixtures__/entry-point.ts')).toContain(
      "'acme-orders', 'bin', 'acme-orders.js'",
    );
    expect(fileOf(files, 'jest.config.js')).toContain('compile-connector.js');
  });

  it.each(kinds)('%s in the workspace: extends the shared settings and references its layers', (kind) => {
    const files = plan(kind, 'workspace');
    const definition = CONNECTOR_KINDS.find((candidate) => candidate.kind === kind)!;
    const build = JSON.parse(fileOf(files, 'tsconfig.build.json'));
    expect(build.extends).toBe('../../tsconfig.base.json');
    expect(build.compilerOptions.composite).toBe(true);
    expect(build.references).toEqual(
      definition.sdkPackages.map((name) => ({
        path: `../../packages/${name.slice('@sdk/'.length)}/tsconfig.build.json`,
      })),
    );
    expect(JSON.parse(fileOf(files, 'tsconfig.json')).extends).toBe('../../tsconfig.base.json');
    expect(fileOf(files, 'jest.config.js')).toContain("'../../jest.config.base.js'");
    expect(files.map((file) => file.path)).not.toContain('.gitignore');
  });

  it.each(kinds)('%s standalone: a self-contained project with no path out of its folder', (kind) => {
    const files = plan(kind, 'standalone');
    for (const file of files) expect(file.contents).not.toContain('../../');
    const build = JSON.parse(fileOf(files, 'tsconfig.build.json'));
    expect(build.extends).toBeUndefined();
    expect(build.references).toBeUndefined();
    expect(build.compilerOptions).toMatchObject({ strict: true, module: 'node16', outDir: 'dist' });
    expect(fileOf(files, '.gitignore')).toContain('node_modules/');
    expect(fileOf(files, 'jest.config.js')).toContain('ts-jest');
  });

  it.each(kinds)('%s: ships the local API stand-in only to the kinds that read an HTTP API', (kind) => {
    const paths = plan(kind, 'workspace').map((file) => file.path);
    expect(paths.includes('src/__fixtures__/items-api.ts')).toBe(kind !== 'plugin');
  });

  it('derives class, constant and title spellings from the name', () => {
    const files = plan('stream', 'workspace', 'acme-orders-v2');
    expect(fileOf(files, 'src/acme-orders-v2-source.ts')).toContain(
      'export class AcmeOrdersV2Source extends',
    );
    expect(fileOf(files, 'src/acme-orders-v2-config.ts')).toContain('export const ACME_ORDERS_V2_DEFAULTS');
    expect(fileOf(files, 'README.md')).toMatch(/^# @connectors\/acme-orders-v2\n\nAcme orders v2: /);
  });

  it('lists the files sorted by path, each once', () => {
    const paths = plan('plugin', 'workspace').map((file) => file.path);
    expect(paths).toEqual([...new Set(paths)].sort((left, right) => left.localeCompare(right)));
  });

  it('rejects a bad name, an unknown kind and a missing version with typed errors', () => {
    expect(() => plan('stream', 'workspace', 'Acme')).toThrow(InvalidConnectorNameError);
    expect(() => plan('source', 'workspace')).toThrow(UnknownKindError);
    const missing = () =>
      planConnectorFiles({
        name: 'acme',
        kind: 'plugin',
        mode: 'workspace',
        dependencyVersions: { '@sdk/transport-grpc': 'workspace:^', typescript: '6.0.3' },
      });
    expect(missing).toThrow(TemplateError);
    expect(missing).toThrow('@sdk/arrow-chunker');
  });

  it('lists the known kinds in the unknown-kind error', () => {
    let thrown: unknown;
    try {
      plan('source', 'workspace');
    } catch (error) {
      thrown = error;
    }
    expect(UnknownKindError.isInstance(thrown)).toBe(true);
    expect((thrown as UnknownKindError).code).toBe('CREATE_CONNECTOR_UNKNOWN_KIND');
    expect((thrown as UnknownKindError).knownKinds).toEqual(['stream', 'flow', 'datasource', 'plugin']);
  });
});

describe('planConnectorFiles with engines', () => {
  const manifestOf = (files: PlannedFile[]) => JSON.parse(fileOf(files, 'package.json'));

  it('a stream connector with --engines amp gets the AMP bin and exactly the AMP layers, no flow-shim', () => {
    const files = plan('stream', 'standalone', 'acme-orders', 'amp');
    const manifest = manifestOf(files);
    expect(manifest.dependencies).toEqual({
      '@sdk/amp-input-tool': '^1.7.0',
      '@sdk/stream-cdk': '^1.5.0',
      '@sdk/transport-grpc': '^1.6.0',
      'apache-arrow': '^21.2.0',
    });
    expect(manifest.bin).toEqual({
      'acme-orders': './dist/bin/acme-orders.js',
      'acme-orders-amp': './dist/bin/acme-orders-amp.js',
    });
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['src/bin/acme-orders-amp.ts', 'src/acme-orders-amp.integration.test.ts']),
    );
    expect(paths.filter((path) => /flow|panoply|airbyte/.test(path))).toEqual([]);
    expect(fileOf(files, 'src/bin/acme-orders-amp.ts')).toContain(
      'servePluginProcess(sourceAsInputTool(new AcmeOrdersSource()))',
    );
  });

  it('a datasource connector with every engine: three bins (panoply is its own), the bridge, the layers of each', () => {
    const files = plan('datasource', 'workspace', 'acme-orders', 'airbyte,flow,amp,panoply');
    const manifest = manifestOf(files);
    expect(Object.keys(manifest.bin)).toEqual([
      'acme-orders',
      'acme-orders-airbyte',
      'acme-orders-flow',
      'acme-orders-amp',
    ]);
    expect(manifest.dependencies).toEqual({
      '@sdk/amp-input-tool': 'workspace:^',
      '@sdk/datasource': 'workspace:^',
      '@sdk/datasource-bridge': 'workspace:^',
      '@sdk/flow-shim': 'workspace:^',
      '@sdk/stream-cdk': 'workspace:^',
      '@sdk/transport-grpc': 'workspace:^',
      'apache-arrow': 'catalog:',
    });
    const build = JSON.parse(fileOf(files, 'tsconfig.build.json'));
    expect(
      build.references.map((reference: { path: string }) => reference.path.split('/')[3]).sort(),
    ).toEqual([
      'amp-input-tool',
      'datasource',
      'datasource-bridge',
      'flow-shim',
      'stream-cdk',
      'transport-grpc',
    ]);
    const paths = files.map((file) => file.path);
    for (const engine of ['airbyte', 'flow', 'amp']) {
      expect(paths).toContain(`src/bin/acme-orders-${engine}.ts`);
      expect(paths).toContain(`src/acme-orders-${engine}.integration.test.ts`);
    }
    expect(paths).toContain('src/acme-orders-airbyte-source.ts');
    expect(paths).toContain('src/__fixtures__/engine-bins.ts');
    expect(paths.some((path) => path.includes('panoply'))).toBe(false);
  });

  it.each([
    ['stream', 'flow,amp,panoply', ['flow', 'amp', 'panoply']],
    ['datasource', 'airbyte,flow,amp', ['airbyte', 'flow', 'amp']],
  ] as const)(
    '%s with %s: the README documents each engine with its command, after the kind’s own',
    (kind, engines, names) => {
      const readme = fileOf(plan(kind, 'workspace', 'acme-orders', engines), 'README.md');
      const plain = fileOf(plan(kind, 'workspace'), 'README.md');
      expect(readme.startsWith(plain)).toBe(true);
      expect(readme).toContain('## On other engines');
      for (const engine of names) {
        expect(readme).toContain(`node dist/bin/acme-orders-${engine}.js`);
        expect(readme).toContain(`src/acme-orders-${engine}.integration.test.ts`);
      }
    },
  );

  it('naming only the kind’s own engine gives exactly the default connector', () => {
    expect(plan('stream', 'workspace', 'acme-orders', 'airbyte')).toEqual(plan('stream', 'workspace'));
    expect(plan('datasource', 'standalone', 'acme-orders', ['panoply'])).toEqual(
      plan('datasource', 'standalone'),
    );
  });

  it('every engine file is filled, kebab-case, and in standalone mode stays inside its folder', () => {
    for (const [kind, engines] of [
      ['stream', 'flow,amp,panoply'],
      ['datasource', 'airbyte,flow,amp'],
    ] as const) {
      for (const file of plan(kind, 'standalone', 'acme-orders', engines)) {
        expect(file.contents).not.toMatch(/\{\{\s*[A-Za-z][A-Za-z0-9]*\s*\}\}/);
        expect(file.contents).not.toContain('../../');
      }
    }
  });

  it('refuses engines for the flow and plugin kinds, and unknown engines, with a usage error', () => {
    expect(() => plan('flow', 'workspace', 'acme-orders', 'amp')).toThrow(UsageError);
    expect(() => plan('plugin', 'workspace', 'acme-orders', 'airbyte')).toThrow(UsageError);
    expect(() => plan('stream', 'workspace', 'acme-orders', 'amp,singer')).toThrow(UsageError);
  });

  it('a missing version of an engine’s package is a TemplateError naming it', () => {
    const { '@sdk/amp-input-tool': _omitted, ...versions } = WORKSPACE_VERSIONS;
    const missing = () =>
      planConnectorFiles({
        name: 'acme',
        kind: 'stream',
        mode: 'workspace',
        dependencyVersions: versions,
        engines: 'amp',
      });
    expect(missing).toThrow(TemplateError);
    expect(missing).toThrow('@sdk/amp-input-tool');
  });
});
