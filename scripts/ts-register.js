// Test tool shared by the packages whose tests spawn child processes on TypeScript sources:
// `node -r <root>/scripts/ts-register.js file.ts`. The tests run before any build and Node 20 cannot
// strip types, so each .ts/.cts file is transpiled to CommonJS on require, as ts-jest does for the test
// process itself. Transpile only (`pnpm typecheck` checks types). Outputs are cached in the OS temp
// directory, keyed by path, size and mtime, so only the first process after an edit loads TypeScript.
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'sdk-ts-register-cache');
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
      sourceMap: false,
    },
  }).outputText;
}

function compile(module, filename) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha1').update(`${filename}:${stat.size}:${stat.mtimeMs}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(filename, fs.readFileSync(filename, 'utf8'));
    fs.mkdirSync(cacheDir, { recursive: true });
    // Rename into place: parallel test processes never read a half-written file.
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  }
  module._compile(output, filename);
}
require.extensions['.ts'] = compile;
require.extensions['.cts'] = compile;

// Dual-build packages import `./x.js` / `./x.cjs` (what their builds emit); next to a source file those
// are `./x.ts` / `./x.cts`.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveSourceFirst(request, parent, ...rest) {
  if (/^\.\.?\//.test(request) && parent?.filename && /\.c?ts$/.test(parent.filename)) {
    const absolute = path.resolve(path.dirname(parent.filename), request);
    if (!fs.existsSync(absolute)) {
      const source = absolute.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts');
      if (fs.existsSync(source)) return source;
    }
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
