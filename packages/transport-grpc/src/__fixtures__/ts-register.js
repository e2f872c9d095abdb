// Lets a child `node` process run this package's TypeScript sources directly (tests only): each .ts
// and .cts file is transpiled to CommonJS on require, the way ts-jest does for the test process itself.
const { existsSync, readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, resolve } = require('node:path');
const ts = require('typescript');

function compile(module, filename) {
  const output = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  module._compile(output.outputText, filename);
}
require.extensions['.ts'] = compile;
require.extensions['.cts'] = compile;

// The sources import `./x.js` / `./x.cjs` (what the builds emit); next to a source file, those are
// `./x.ts` / `./x.cts`.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveSourceFirst(request, parent, ...rest) {
  if (/^\.\.?\//.test(request) && parent?.filename && /\.c?ts$/.test(parent.filename)) {
    const absolute = resolve(dirname(parent.filename), request);
    if (!existsSync(absolute)) {
      const source = absolute.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts');
      if (existsSync(source)) return source;
    }
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
