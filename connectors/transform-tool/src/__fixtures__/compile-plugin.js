// Jest global setup: transpiles the connector's sources (tests and fixtures left out) once, so that the
// integration tests launch the real entry point, src/bin/transform-tool.ts, as plain JavaScript instead
// of loading the TypeScript compiler in each plugin process. The output lives under this package's
// node_modules/.cache, where `@sdk/transport-grpc` resolves exactly as it does for dist/. No type
// checking here: `pnpm typecheck` does that.
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const typescript = require('typescript');

const packageDir = join(__dirname, '..', '..');
const sourceDir = join(packageDir, 'src');
const outputDir = join(packageDir, 'node_modules', '.cache', 'transform-tool-plugin');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

module.exports = function compilePlugin() {
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
