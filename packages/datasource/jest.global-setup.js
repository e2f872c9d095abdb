// Jest global setup: compiles src/ once per test run, with the package's own build settings, into
// node_modules/.cache/compiled-src, so the tests that spawn the runner CLI or writer scripts in child
// processes run exactly the JavaScript users get (dynamic import() kept), without racing the
// package's own dist/.
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function globalSetup() {
  const outputDir = join(__dirname, 'node_modules', '.cache', 'compiled-src');
  rmSync(outputDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      ...[
        '-p',
        'tsconfig.build.json',
        '--outDir',
        outputDir,
        '--composite',
        'false',
        '--incremental',
        'false',
      ],
      ...['--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'],
    ],
    { cwd: __dirname, stdio: 'inherit' },
  );
};
