import { join } from 'node:path';
import { type ConnectorKindDefinition, connectorKind } from './connector-kinds';
import { TemplateError } from './errors/template-error';
import type { GenerationMode } from './generation-mode';
import { connectorNames } from './internal/connector-names';
import { formatJson } from './internal/format-json';
import { TEMPLATES_DIR } from './internal/package-root';
import { readTemplateFiles } from './internal/read-template-files';
import { substitutePlaceholders } from './substitute-placeholders';
import { validateConnectorName } from './validate-connector-name';

/** One file the generator will write. */
export interface PlannedFile {
  /** Path relative to the connector's directory, with `/` separators. */
  readonly path: string;
  readonly contents: string;
}

/** Options of {@link planConnectorFiles}. */
export interface PlanConnectorFilesOptions {
  /** The connector's name, lowercase kebab-case (validated). */
  readonly name: string;
  /** One of the kinds in `CONNECTOR_KINDS` (validated). */
  readonly kind: string;
  readonly mode: GenerationMode;
  /**
   * Version range of every package the connector may depend on: each `@sdk/*` package, `apache-arrow`,
   * and the tool chain (`typescript`; in standalone mode also `jest`, `ts-jest`, `@types/jest`,
   * `@types/node`). In workspace mode these are usually `workspace:^` and `catalog:`.
   */
  readonly dependencyVersions: Readonly<Record<string, string>>;
  /** Folder holding the templates. Defaults to the `templates` folder shipped with this package. */
  readonly templatesDir?: string;
}

const TEMPLATE_SUFFIX = '.tmpl';
const NAME_IN_PATH = '__name__';
const STANDALONE_TOOLCHAIN = ['@types/jest', '@types/node', 'jest', 'ts-jest', 'typescript'];
// Template folders shared by some kinds: the local stand-in of the paged API the HTTP-based kinds read.
const SHARED_KIND_FOLDERS: Readonly<Record<string, readonly string[]>> = {
  stream: ['http-api'],
  flow: ['http-api'],
  datasource: ['http-api'],
  plugin: [],
};

/**
 * Every file of a new connector, without touching the disk beyond reading the templates: `package.json`,
 * `tsconfig.json`, `tsconfig.build.json` (written here, since they depend on the kind and mode), and the
 * rendered templates (`templates/shared`, `templates/<mode>`, `templates/http-api` for the kinds that
 * read an HTTP API, `templates/<kind>`; `__name__` in a path
 * becomes the name, the `.tmpl` suffix is dropped). Sorted by path.
 *
 * @throws InvalidConnectorNameError, UnknownKindError for bad input; TemplateError when a version the
 * kind needs is missing from `dependencyVersions`, a template uses an unknown placeholder, or two
 * templates would write the same file.
 */
export function planConnectorFiles(options: PlanConnectorFilesOptions): PlannedFile[] {
  validateConnectorName(options.name);
  const kind = connectorKind(options.kind);
  const names = connectorNames(options.name);
  const packageName = options.mode === 'workspace' ? `@connectors/${names.name}` : names.name;
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const values: Record<string, string> = {
    ...names,
    kind: kind.kind,
    packageName,
    kindDescription: kind.description,
    sdkPackages: kind.sdkPackages.map((sdkPackage) => `\`${sdkPackage}\``).join(' and '),
  };

  const files = new Map<string, string>();
  const add = (path: string, contents: string): void => {
    if (files.has(path)) throw new TemplateError(`two templates both write ${path}`);
    files.set(path, contents);
  };
  add('package.json', formatJson(packageManifest(kind, options, packageName)));
  add('tsconfig.json', formatJson(typecheckConfig(options.mode)));
  add('tsconfig.build.json', formatJson(buildConfig(kind, options.mode)));
  // Written here rather than shipped as a template: npm leaves `.gitignore` files out of packages.
  if (options.mode === 'standalone') add('.gitignore', 'node_modules/\ndist/\n*.tsbuildinfo\n');
  for (const folder of ['shared', options.mode, ...(SHARED_KIND_FOLDERS[kind.kind] ?? []), kind.kind]) {
    for (const template of readTemplateFiles(join(templatesDir, folder))) {
      const relativePath = template.path.endsWith(TEMPLATE_SUFFIX)
        ? template.path.slice(0, -TEMPLATE_SUFFIX.length)
        : template.path;
      const path = relativePath.split(NAME_IN_PATH).join(names.name);
      add(path, substitutePlaceholders(template.text, values, `templates/${folder}/${template.path}`));
    }
  }
  return [...files]
    .map(([path, contents]) => ({ path, contents }))
    .sort((left, right) => left.path.localeCompare(right.path));
}

function versionOf(options: PlanConnectorFilesOptions, dependency: string): string {
  const version = options.dependencyVersions[dependency];
  if (version === undefined) throw new TemplateError(`no version given for ${dependency}`);
  return version;
}

function packageManifest(
  kind: ConnectorKindDefinition,
  options: PlanConnectorFilesOptions,
  packageName: string,
): Record<string, unknown> {
  const dependencies = Object.fromEntries(
    [...kind.sdkPackages, ...kind.otherDependencies]
      .sort()
      .map((dependency) => [dependency, versionOf(options, dependency)]),
  );
  // Inside the workspace, jest, ts-jest and the type packages come from the root; the compile step of
  // the tests needs `typescript` itself, as every connector there declares it.
  const toolchain = options.mode === 'workspace' ? ['typescript'] : STANDALONE_TOOLCHAIN;
  const devDependencies = Object.fromEntries(
    toolchain.map((dependency) => [dependency, versionOf(options, dependency)]),
  );
  return {
    name: packageName,
    version: '0.0.0',
    private: true,
    description: `${connectorNames(options.name).title}: ${kind.description}.`,
    license: 'Apache-2.0',
    type: 'commonjs',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    bin: { [options.name]: `./dist/bin/${options.name}.js` },
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -b tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json',
      test: 'jest',
      clean: 'rm -rf dist .jest-results.json',
    },
    dependencies,
    devDependencies,
  };
}

// The workspace's tsconfig.base.json settings, for a standalone project that has no such file.
const STANDALONE_COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'node16',
  moduleResolution: 'node16',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  esModuleInterop: true,
  isolatedModules: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
};

function typecheckConfig(mode: GenerationMode): Record<string, unknown> {
  if (mode === 'workspace') {
    return {
      extends: '../../tsconfig.base.json',
      compilerOptions: { noEmit: true, rootDir: '.', types: ['node', 'jest'] },
      include: ['src'],
    };
  }
  return {
    compilerOptions: { ...STANDALONE_COMPILER_OPTIONS, noEmit: true, rootDir: '.', types: ['node', 'jest'] },
    include: ['src'],
  };
}

function buildConfig(kind: ConnectorKindDefinition, mode: GenerationMode): Record<string, unknown> {
  const emit = { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' };
  const shared = { include: ['src'], exclude: ['src/**/*.test.ts', 'src/**/__fixtures__'] };
  if (mode === 'standalone') {
    return { compilerOptions: { ...STANDALONE_COMPILER_OPTIONS, ...emit, types: ['node'] }, ...shared };
  }
  return {
    extends: '../../tsconfig.base.json',
    compilerOptions: { composite: true, ...emit },
    ...shared,
    references: kind.sdkPackages.map((sdkPackage) => ({
      path: `../../packages/${sdkPackage.replace('@sdk/', '')}/tsconfig.build.json`,
    })),
  };
}
