// A jest global setup for packages whose tests spawn their own entry points (a CLI, a plugin process):
// it transpiles the package's src/ (tests and __fixtures__ left out) once per test run into
// <package>/node_modules/.cache/transpiled-src, so each child process runs plain JavaScript instead of
// loading the TypeScript compiler. Under node_modules the output's imports resolve exactly as dist/'s do.
// No type checking here: `pnpm typecheck` does that.
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const typescript = require('typescript');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

module.exports = function transpileSources(_globalConfig, projectConfig) {
  const sourceDir = join(projectConfig.rootDir, 'src');
  const outputDir = join(projectConfig.rootDir, 'node_modules', '.cache', 'transpiled-src');
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
