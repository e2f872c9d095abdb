import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError } from '../errors/template-error';
import type { GenerationMode } from '../generation-mode';
import { PACKAGE_ROOT } from './package-root';

interface Manifest {
  version?: string;
  devDependencies?: Record<string, string>;
}

function readManifest(path: string): Manifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new TemplateError(`cannot read ${path}`, { cause: error });
  }
}

/**
 * The version range of every package a generated connector may depend on. The source of truth is this
 * package's own `devDependencies`: publishing rewrites their `workspace:^` and `catalog:` into the
 * released ranges, so an installed generator asks for exactly the versions released with it. In
 * workspace mode the connector keeps `workspace:^` and `catalog:`. In standalone mode run from a
 * checkout of the monorepo, those protocols are resolved here from the sibling packages and the catalog.
 */
export function resolveDependencyVersions(
  mode: GenerationMode,
  packageRoot: string = PACKAGE_ROOT,
): Record<string, string> {
  const own = readManifest(join(packageRoot, 'package.json')).devDependencies ?? {};
  const versions: Record<string, string> = {};
  for (const [dependency, range] of Object.entries(own)) {
    versions[dependency] = mode === 'workspace' ? range : publishedRange(dependency, range, packageRoot);
  }
  return versions;
}

function publishedRange(dependency: string, range: string, packageRoot: string): string {
  if (range.startsWith('workspace:')) {
    // Checkout layout: packages/create-connector next to packages/<name>.
    const manifestPath = join(packageRoot, '..', dependency.replace(/^@sdk\//, ''), 'package.json');
    if (!existsSync(manifestPath)) throw new TemplateError(`cannot find ${dependency} at ${manifestPath}`);
    return `^${readManifest(manifestPath).version ?? '0.0.0'}`;
  }
  if (range.startsWith('catalog:')) {
    const workspaceFile = join(packageRoot, '..', '..', 'pnpm-workspace.yaml');
    const text = existsSync(workspaceFile) ? readFileSync(workspaceFile, 'utf8') : '';
    const escaped = dependency.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const match = new RegExp(`^\\s+['"]?${escaped}['"]?:\\s*['"]?([^'"\\s#]+)`, 'm').exec(text);
    if (match?.[1] === undefined) throw new TemplateError(`cannot find ${dependency} in the pnpm catalog`);
    return `^${match[1]}`;
  }
  return range;
}
