// Transpiles the connector's sources (tests and fixtures left out) into this package's
// node_modules/.cache, where `pg` and `@sdk/datasource` resolve exactly as they do for dist/. No type
// checking here: `pnpm typecheck` does that.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import typescript from 'typescript';

const packageDir = join(__dirname, '..', '..');
const sourceDir = join(packageDir, 'src');
const outputDir = join(packageDir, 'node_modules', '.cache', 'postgres-source-cli');

/** The compiled data source module, as `sdk-datasource-run` loads it. */
export const compiledModulePath = join(outputDir, 'index.js');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

export function compileSources(): void {
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
}
