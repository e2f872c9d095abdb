// Jest global setup: transpiles this package's sources (tests and fixtures left out) once, so that the
// fake Flow runtime spawns the real entry point, src/bin/http-api-flow.ts, as plain JavaScript for every
// RPC and session, without loading the TypeScript compiler in each child. The output lives under this
// package's node_modules/.cache, so its imports resolve as they do for dist/. `pnpm typecheck` checks types.
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const typescript = require('typescript');

const packageDir = join(__dirname, '..', '..');
const sourceDir = join(packageDir, 'src');
const outputDir = join(packageDir, 'node_modules', '.cache', 'http-api-flow');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

module.exports = function compileConnector() {
  rmSync(outputDir, { recursive: true, force: true });
  for (const file of sourceFiles(sourceDir)) {
    const { outputText } = typescript.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: typescript.ModuleKind.CommonJS,
        target: typescript.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(outputDir, relative(sourceDir, file).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
};
