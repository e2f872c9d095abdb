#!/usr/bin/env node
// Enforces the workspace's layer rules; exits 1 with one line per violation.
//
//  1. Every bare import of a package is declared in that package's package.json (test, bench and demo
//     files may also use devDependencies). pnpm's strict layout catches most of this at run time; this
//     catches it before anything runs, including in code paths no test reaches.
//  2. A published @sdk/* package imports only the @sdk/* packages layers.json allows it.
//  3. Nobody reaches into another package's files (`@sdk/x/src/...`) or out of its own directory.
//  4. No cycles: neither between workspace packages nor between files of one package
//     (type-only imports are erased at run time and do not count).
//  5. Published packages never depend on private ones (connectors).
//  6. Twins stay twins: files layers.json lists as copies of one another (code two packages need but may
//     not share by import) are identical below their leading comment lines.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { root, workspacePackages } from './workspace.mjs';

const layersFile = JSON.parse(readFileSync(join(root, 'layers.json'), 'utf8'));
const layers = layersFile.packages;
const builtins = new Set(builtinModules);
const sourceExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const scannedFolders = ['src', 'bench', 'demo', 'bin', 'test', 'scripts', 'examples'];
const violations = [];

function listSourceFiles(dir) {
  const files = [];
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'gen') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listSourceFiles(path));
    else if (sourceExtensions.some((ext) => entry.endsWith(ext)) && !entry.endsWith('.d.ts'))
      files.push(path);
  }
  return files;
}

// Matches static imports and re-exports (capturing `import type`), dynamic import() and require().
const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file) {
  // Strip comments first so that examples in JSDoc do not count as imports.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found = [];
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[2] ?? match[3];
    if (specifier) found.push({ specifier, typeOnly: Boolean(match[1]) });
  }
  return found;
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isDevFile(path) {
  const rel = path.split(sep);
  return (
    /\.test\.[cm]?[jt]s$/.test(path) ||
    rel.includes('__fixtures__') ||
    rel.includes('bench') ||
    rel.includes('demo') ||
    rel.includes('test') ||
    rel.includes('scripts') ||
    rel.includes('examples')
  );
}

function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    ...sourceExtensions.map((ext) => base + ext),
    ...sourceExtensions.map((ext) => join(base, `index${ext}`)),
  ];
  if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, '.$1ts'));
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

function findCycles(graph) {
  // Tarjan's strongly connected components; every component of two or more nodes (or a self-loop) is a cycle.
  let index = 0;
  const indices = new Map();
  const lowLinks = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node), lowLinks.get(next)));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node), indices.get(next)));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? new Set()).has(node)) cycles.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

const manifests = new Map(workspacePackages().map(({ dir, manifest }) => [dir, manifest]));
const workspaceNames = new Map([...manifests].map(([dir, manifest]) => [manifest.name, { dir, manifest }]));
const packageGraph = new Map();

for (const [dir, manifest] of manifests) {
  const name = manifest.name;
  const where = relative(root, dir);
  const runtimeDeps = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}));
  const isPublished = manifest.private !== true;

  if (isPublished && name.startsWith('@sdk/') && !(name in layers)) {
    violations.push(`${where}: published package ${name} has no entry in layers.json`);
  }

  const allDeps = new Set([...runtimeDeps, ...devDeps]);
  packageGraph.set(name, new Set([...runtimeDeps].filter((dep) => workspaceNames.has(dep))));
  for (const dep of allDeps) {
    const target = workspaceNames.get(dep);
    if (isPublished && target?.manifest.private === true && runtimeDeps.has(dep)) {
      violations.push(`${where}: published ${name} depends on private workspace package ${dep}`);
    }
  }

  const fileGraph = new Map();
  for (const folder of scannedFolders) {
    for (const file of listSourceFiles(join(dir, folder))) {
      const fileRel = relative(root, file);
      const edges = new Set();
      fileGraph.set(file, edges);
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (specifier.startsWith('.')) {
          // Demos and benchmarks use the package's build output, and generated code (src/gen) comes
          // from the codegen task: neither need exist before this check runs.
          const targetPath = resolve(dirname(file), specifier);
          if (
            targetPath.startsWith(join(dir, 'dist') + sep) ||
            targetPath.startsWith(join(dir, 'src', 'gen'))
          )
            continue;
          const target = resolveRelative(file, specifier);
          if (!target) {
            violations.push(`${fileRel}: import '${specifier}' does not resolve to a file`);
            continue;
          }
          if (!target.startsWith(dir + sep)) {
            violations.push(`${fileRel}: import '${specifier}' reaches outside ${where}`);
            continue;
          }
          if (!typeOnly) edges.add(target);
          continue;
        }
        if (
          specifier.startsWith('node:') ||
          builtins.has(specifier) ||
          builtins.has(specifier.split('/')[0])
        ) {
          continue;
        }
        const dependency = packageNameOf(specifier);
        if (dependency === name) continue; // demos and benches import the package itself, built.
        const declared = runtimeDeps.has(dependency) || (isDevFile(file) && devDeps.has(dependency));
        if (!declared) {
          const hint = devDeps.has(dependency) ? ' (only a devDependency, but used by published code)' : '';
          violations.push(`${fileRel}: imports '${dependency}', which ${name} does not declare${hint}`);
        }
        if (
          workspaceNames.has(dependency) &&
          specifier !== dependency &&
          specifier !== `${dependency}/package.json`
        ) {
          violations.push(`${fileRel}: deep import '${specifier}'; import from '${dependency}' only`);
        }
        if (
          dependency.startsWith('@sdk/') &&
          isPublished &&
          name in layers &&
          !layers[name].includes(dependency)
        ) {
          violations.push(
            `${fileRel}: ${name} may not import ${dependency} (layers.json allows: ${layers[name].join(', ') || 'no @sdk package'})`,
          );
        }
      }
    }
  }
  for (const cycle of findCycles(fileGraph)) {
    violations.push(
      `${where}: import cycle: ${[...cycle, cycle[0]].map((file) => relative(dir, file)).join(' -> ')}`,
    );
  }
}

for (const cycle of findCycles(packageGraph)) {
  violations.push(`package dependency cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
}

/** A file's text below its leading `//` comment lines (each copy says where its twins are). */
function bodyOf(path) {
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  let first = 0;
  while (first < lines.length && lines[first].startsWith('//')) first += 1;
  return lines.slice(first).join('\n');
}

for (const group of layersFile.twins?.groups ?? []) {
  const missing = group.filter((path) => !existsSync(join(root, path)));
  if (missing.length > 0) {
    violations.push(`twins: ${missing.join(', ')} listed in layers.json but missing`);
    continue;
  }
  const [model, ...copies] = group;
  for (const copy of copies) {
    if (bodyOf(copy) !== bodyOf(model)) {
      violations.push(`twins: ${copy} differs from ${model}; change both alike (layers.json "twins")`);
    }
  }
}

if (violations.length > 0) {
  console.error(`Layer check failed with ${violations.length} violation(s):`);
  for (const violation of violations) console.error(`  ${violation}`);
  process.exit(1);
}
const twinCount = (layersFile.twins?.groups ?? []).length;
console.log(
  `Layer check passed: ${manifests.size} workspace package(s), no undeclared imports, no cycles, ${twinCount} twin group(s) alike.`,
);
