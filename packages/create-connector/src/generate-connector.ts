import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ConnectorEngine, extraEngines, parseConnectorEngines } from './connector-engines';
import { type ConnectorKind, connectorKind } from './connector-kinds';
import { TargetExistsError } from './errors/target-exists-error';
import type { GenerationMode } from './generation-mode';
import { findSdkWorkspace } from './internal/find-sdk-workspace';
import { fixWithWorkspaceBiome } from './internal/fix-with-workspace-biome';
import { resolveDependencyVersions } from './internal/resolve-dependency-versions';
import { planConnectorFiles } from './plan-connector-files';
import { validateConnectorName } from './validate-connector-name';

/** Options of {@link generateConnector}. */
export interface GenerateConnectorOptions {
  /** The connector's name, lowercase kebab-case, e.g. `acme-orders`. */
  readonly name: string;
  /** `stream`, `flow`, `datasource` or `plugin`. */
  readonly kind: string;
  /**
   * Where the command runs. Inside the @sdk monorepo (a `pnpm-workspace.yaml` upwards, with the shared
   * settings) the connector goes to `<root>/connectors/<name>`; elsewhere to `<cwd>/<name>`.
   * Defaults to `process.cwd()`.
   */
  readonly cwd?: string;
  /**
   * Other engines to serve the connector to (`stream` and `datasource` kinds): a comma-separated list or
   * an array of `airbyte`, `flow`, `amp`, `panoply`. Each one besides the kind's own adds a bin
   * `<name>-<engine>`. Defaults to none.
   */
  readonly engines?: string | readonly string[];
}

/** What {@link generateConnector} wrote. */
export interface GeneratedConnector {
  readonly name: string;
  readonly kind: ConnectorKind;
  /** The engines that got a bin of their own (`<name>-<engine>`), in order; empty without `engines`. */
  readonly engines: readonly ConnectorEngine[];
  readonly mode: GenerationMode;
  /** Absolute path of the new connector's directory. */
  readonly targetDir: string;
  /** Every file written, relative to `targetDir`, sorted. */
  readonly files: readonly string[];
  /** Commands to run next, in order, from `workspaceRoot` (workspace mode) or `targetDir`. */
  readonly nextSteps: readonly string[];
  /** The monorepo root in workspace mode; undefined in standalone mode. */
  readonly workspaceRoot: string | undefined;
  /**
   * True when the workspace's biome formatted the files and organized their imports, leaving nothing for
   * `biome check` to report (workspace mode, biome installed).
   */
  readonly formatted: boolean;
}

/**
 * Generates a connector: validates the name and kind, plans every file, then writes them into a new
 * directory. Nothing is written when validation fails, and a half-written directory is removed if a
 * write fails. In workspace mode the workspace's own biome then formats the files and organizes their
 * imports (`biome check --write`) when it is installed (see `formatted`).
 *
 * @throws InvalidConnectorNameError (`CREATE_CONNECTOR_INVALID_NAME`), UnknownKindError
 * (`CREATE_CONNECTOR_UNKNOWN_KIND`), UsageError (`CREATE_CONNECTOR_USAGE`, a bad `engines`), TargetExistsError (`CREATE_CONNECTOR_TARGET_EXISTS`),
 * TemplateError (`CREATE_CONNECTOR_TEMPLATE`).
 */
export function generateConnector(options: GenerateConnectorOptions): GeneratedConnector {
  validateConnectorName(options.name);
  const kind = connectorKind(options.kind).kind;
  const engines =
    options.engines === undefined ? [] : extraEngines(kind, parseConnectorEngines(kind, options.engines));
  const cwd = resolve(options.cwd ?? process.cwd());
  const workspaceRoot = findSdkWorkspace(cwd);
  const mode: GenerationMode = workspaceRoot === undefined ? 'standalone' : 'workspace';
  const targetDir =
    workspaceRoot === undefined ? join(cwd, options.name) : join(workspaceRoot, 'connectors', options.name);
  const files = planConnectorFiles({
    name: options.name,
    kind,
    mode,
    dependencyVersions: resolveDependencyVersions(mode),
    ...(options.engines === undefined ? {} : { engines: options.engines }),
  });

  mkdirSync(dirname(targetDir), { recursive: true });
  try {
    // Not recursive: creating the directory is the existence check, with no window between the two.
    mkdirSync(targetDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new TargetExistsError(targetDir, { cause: error });
    throw error;
  }
  try {
    for (const file of files) {
      const path = join(targetDir, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents);
    }
  } catch (error) {
    rmSync(targetDir, { recursive: true, force: true });
    throw error;
  }
  const formatted = workspaceRoot !== undefined && fixWithWorkspaceBiome(workspaceRoot, targetDir);

  const nextSteps =
    mode === 'workspace'
      ? [
          'pnpm install',
          // Line wrapping and import order depend on the name: what biome could not do here is left to this.
          ...(formatted ? [] : [`pnpm exec biome check --write connectors/${options.name}`]),
          `pnpm turbo run build typecheck test --filter=@connectors/${options.name}`,
        ]
      : ['npm install', 'npm run build', 'npm test'];
  return {
    name: options.name,
    kind,
    engines,
    mode,
    targetDir,
    files: files.map((file) => file.path),
    nextSteps,
    workspaceRoot,
    formatted,
  };
}
