#!/usr/bin/env node
// `pnpm check`: lint, layer rules, typecheck, build, package hygiene and every test, then every test
// again on Node 24 LTS, then one closing line `N passed, N failed` that totals the jest tests of every
// package on both Nodes (CI reads that line).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { secondNode } from './second-node.mjs';
import { root, toolEnv, workspacePackages } from './workspace.mjs';

const packages = workspacePackages();
const resultsFile = (dir) => join(dir, '.jest-results.json');

// Stale results must never count: turbo restores the file from its cache when the test task is a hit.
for (const { dir } of packages) rmSync(resultsFile(dir), { force: true });

// System packages npm cannot install (PostgreSQL for the Postgres connector's tests).
spawnSync('node', ['scripts/system-deps.mjs'], { cwd: root, stdio: 'inherit', env: toolEnv });

const tasks = ['lint', 'layers', 'typecheck', 'build', 'package-check', 'test'];
// SDK_TEST_NODE is part of the test task's hash (turbo.json), so each Node's results are cached apart.
const turbo = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', ...tasks, '--continue', '--output-logs=errors-only', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...toolEnv, SDK_TEST_NODE: process.version } },
);

// Benchmarks in smoke mode, so that none of them rots unnoticed; speed is judged by `pnpm bench`, not here.
// They run beside the second Node's tests (whose last minutes leave a core to spare), into a file that
// is printed once they end, so that the two outputs do not interleave.
const hasBenchmarks = packages.some(({ manifest }) => manifest.scripts?.bench);
const benchLog = join(mkdtempSync(join(tmpdir(), 'sdk-check-')), 'bench-smoke.log');
const benchSmoke = hasBenchmarks
  ? (() => {
      const out = openSync(benchLog, 'w');
      const child = spawn('node', ['scripts/bench.mjs', '--quick', '--no-build'], {
        cwd: root,
        stdio: ['ignore', out, out],
        env: toolEnv,
      });
      closeSync(out);
      return new Promise((resolve) => {
        child.on('error', (error) => resolve({ status: 1, error }));
        child.on('close', (status) => resolve({ status }));
      });
    })()
  : Promise.resolve({ status: 0 });

let passed = 0;
let failed = 0;
let skipped = 0;
/** Adds up (and prints) the test results every package left in .jest-results.json, then removes them. */
function collectResults(heading) {
  console.log(`\nTests by package, ${heading}:`);
  for (const { dir, manifest } of packages) {
    if (!manifest.scripts?.test) continue;
    const where = relative(root, dir);
    if (!existsSync(resultsFile(dir))) {
      // A package whose tests never ran (its build failed, say) counts as one failure, never as zero.
      failed += 1;
      console.log(`  ${manifest.name.padEnd(28)} did not run (see the errors above)  [${where}]`);
      continue;
    }
    const result = JSON.parse(readFileSync(resultsFile(dir), 'utf8'));
    rmSync(resultsFile(dir), { force: true });
    passed += result.passed;
    failed += result.failed;
    skipped += result.skipped;
    const failures = result.failedSuites.length > 0 ? `  failing: ${result.failedSuites.join(', ')}` : '';
    console.log(`  ${manifest.name.padEnd(28)} ${result.passed} passed, ${result.failed} failed${failures}`);
    for (const failure of result.failures ?? []) console.log(`      ✕ ${failure}`);
  }
}
collectResults(`Node ${process.version}`);

// Every test again on the current LTS (users run 22 and 24; the machine's Node may be older). Builds
// are JavaScript and replay from turbo's cache; PATH puts that Node first for jest and every process a
// test starts.
const second = secondNode();
let secondStatus = 0;
if (second.binDir !== undefined) {
  console.log(`\nEvery test again on Node ${second.version}:`);
  const secondRun = spawnSync(
    'pnpm',
    // --only: the first pass built everything; a build replayed from the cache would rewrite dist/
    // under the benchmarks running beside this pass.
    [
      'exec',
      'turbo',
      'run',
      'test',
      '--only',
      '--continue',
      '--output-logs=errors-only',
      ...process.argv.slice(2),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...toolEnv,
        PATH: `${second.binDir}${delimiter}${process.env.PATH ?? ''}`,
        SDK_TEST_NODE: second.version,
      },
    },
  );
  secondStatus = secondRun.status ?? 1;
  collectResults(`Node ${second.version}`);
} else if (second.error !== undefined) {
  secondStatus = 1;
  failed += 1;
  console.log(`\nThe second Node could not be had: ${second.error}; counted as one failure.`);
} else {
  console.log(`\nNo second Node pass: ${second.skipped}.`);
}

const bench = await benchSmoke;
if (hasBenchmarks) {
  console.log('\nBenchmarks, smoke run:');
  process.stdout.write(readFileSync(benchLog, 'utf8'));
  rmSync(dirname(benchLog), { recursive: true, force: true });
  if (bench.error !== undefined) console.log(`could not start: ${bench.error.message}`);
}

const exitCode = turbo.status !== 0 || bench.status !== 0 || secondStatus !== 0 || failed > 0 ? 1 : 0;
if (turbo.status !== 0) console.log(`\nSome tasks failed (turbo exit code ${turbo.status ?? turbo.signal}).`);
if (secondStatus !== 0) console.log('\nThe test pass on the second Node failed (see above).');
if (bench.status !== 0) console.log('\nThe benchmark smoke run failed (see above).');
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode);
