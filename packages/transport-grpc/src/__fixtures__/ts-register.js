// Lets a child `node` process run this package's TypeScript sources directly (tests only): each .ts
// file is transpiled to CommonJS on require, the way ts-jest does for the test process itself.
const { readFileSync } = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
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
};
