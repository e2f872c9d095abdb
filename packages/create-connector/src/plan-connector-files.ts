import { join } from 'node:path';
import {
  type ConnectorEngine,
  engineDependencies,
  extraEngines,
  parseConnectorEngines,
} from './connector-engines';
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
  /**
   * Other engines the connector should also be served to, for the `stream` and `datasource` kinds: a
   * comma-separated list or an array of `airbyte`, `flow`, `amp`, `panoply` (see
   * `parseConnectorEngines`). Each engine other than the kind's own adds a bin `<name>-<engine>`, the
   * `@sdk` packages it needs, a README section and an integration test. Defaults to none: the kind's
   * own engine only.
   */
  readonly engines?: string | readonly string[];
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
 * read an HTTP API, `templates/<kind>`, then with `engines` `templates/engines/<kind>/shared` and
 * `templates/engines/<kind>/<engine>`, whose `README.md` is appended to the connector's; `__name__` in a
 * path becomes the name, the `.tmpl` suffix is dropped). Sorted by path.
 *
 * @throws InvalidConnectorNameError, UnknownKindError, UsageError (`engines`: unknown engine, empty list,
 * a kind other than `stream` or `datasource`) for bad input; TemplateError when a version the
 * kind needs is missing from `dependencyVersions`, a template uses an unknown placeholder, or two
 * templates would write the same file.
 */
export function planConnectorFiles(options: PlanConnectorFilesOptions): PlannedFile[] {
  validateConnectorName(options.name);
  const kind = withEngines(connectorKind(options.kind), options.engines);
  const names = connectorNames(options.name);
  const packageName = options.mode === 'workspace' ? `@connectors/${names.name}` : names.name;
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const values: Record<string, string> = {
    ...names,
    kind: kind.kind,
    packageName,
    kindDescription: kind.description,
    sdkPackages: connectorKind(kind.kind)
      .sdkPackages.map((sdkPackage) => `\`${sdkPackage}\``)
      .join(' and '),
  };

  const files = new Map<string, string>();
  const add = (path: string, contents: string): void => {
    if (files.has(path)) throw new TemplateError(`two templates both write ${path}`);
    files.set(path, contents);
  };
  // An engine's README.md is a section of the connector's README, appended in engine order.
  const addOrAppendReadme = (path: string, contents: string): void => {
    const existing = files.get(path);
    if (path === 'README.md' && existing !== undefined) files.set(path, `${existing}\n${contents}`);
    else add(path, contents);
  };
  add('package.json', formatJson(packageManifest(kind, options, packageName)));
  add('tsconfig.json', formatJson(typecheckConfig(options.mode)));
  add('tsconfig.build.json', formatJson(buildConfig(kind, options.mode)));
  // Written here rather than shipped as a template: npm leaves `.gitignore` files out of packages.
  if (options.mode === 'standalone') add('.gitignore', 'node_modules/\ndist/\n*.tsbuildinfo\n');
  const engineFolders =
    kind.engines.length === 0
      ? []
      : [`engines/${kind.kind}/shared`, ...kind.engines.map((engine) => `engines/${kind.kind}/${engine}`)];
  for (const folder of ['shared', options.mode, ...(SHARED_KIND_FOLDERS[kind.kind] ?? []), kind.kind]) {
    for (const template of readTemplateFiles(join(templatesDir, folder))) {
      add(outputPath(template.path, names.name), render(template.text, values, folder, template.path));
    }
  }
  for (const folder of engineFolders) {
    for (const template of readTemplateFiles(join(templatesDir, folder))) {
      const path = outputPath(template.path, names.name);
      addOrAppendReadme(path, render(template.text, values, folder, template.path));
    }
  }
  return [...files]
    .map(([path, contents]) => ({ path, contents }))
    .sort((left, right) => left.path.localeCompare(right.path));
}

/** A kind's definition with the packages of its extra engines added, and those engines. */
interface KindWithEngines extends ConnectorKindDefinition {
  /** The engines that add files (the kind's own engine left out), in `CONNECTOR_ENGINES` order. */
  readonly engines: readonly ConnectorEngine[];
}

function withEngines(
  definition: ConnectorKindDefinition,
  requested: string | readonly string[] | undefined,
): KindWithEngines {
  if (requested === undefined) return { ...definition, engines: [] };
  const engines = extraEngines(definition.kind, parseConnectorEngines(definition.kind, requested));
  const added = engineDependencies(definition.kind, engines);
  return {
    ...definition,
    sdkPackages: [...new Set([...definition.sdkPackages, ...added.sdkPackages])],
    otherDependencies: [...new Set([...definition.otherDependencies, ...added.otherDependencies])],
    engines,
  };
}

function outputPath(templatePath: string, name: string): string {
  const relativePath = templatePath.endsWith(TEMPLATE_SUFFIX)
    ? templatePath.slice(0, -TEMPLATE_SUFFIX.length)
    : templatePath;
  return relativePath.split(NAME_IN_PATH).join(name);
}

function render(text: string, values: Record<string, string>, folder: string, templatePath: string): string {
  return substitutePlaceholders(text, values, `templates/${folder}/${templatePath}`);
}

function versionOf(options: PlanConnectorFilesOptions, dependency: string): string {
  const version = options.dependencyVersions[dependency];
  if (version === undefined) throw new TemplateError(`no version given for ${dependency}`);
  return version;
}

function packageManifest(
  kind: KindWithEngines,
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
    description: `${connectorNames(options.name).title}: ${kind.description}${
      kind.engines.length === 0 ? '' : `; also served to ${kind.engines.join(', ')}`
    }.`,
    license: 'Apache-2.0',
    type: 'commonjs',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    bin: Object.fromEntries(
      [options.name, ...kind.engines.map((engine) => `${options.name}-${engine}`)].map((bin) => [
        bin,
        `./dist/bin/${bin}.js`,
      ]),
    ),
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
