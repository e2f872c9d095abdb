// Lets test child processes run this package's TypeScript sources directly (`node -r ts-register.js x.ts`):
// the package tests run before any build, and Node 20 cannot strip types itself. Transpile only
// (`pnpm typecheck` does the type checking); outputs are cached in the OS temp directory, keyed by
// path, size and mtime, so only the first process after an edit pays for loading TypeScript.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'sdk-flow-shim-ts-cache');
let typescript;

function transpile(filename, source) {
  typescript ??= require('typescript');
  return typescript.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: typescript.ModuleKind.CommonJS,
      target: typescript.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
    },
  }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha1').update(`${filename}:${stat.size}:${stat.mtimeMs}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(filename, fs.readFileSync(filename, 'utf8'));
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  }
  module._compile(output, filename);
};
